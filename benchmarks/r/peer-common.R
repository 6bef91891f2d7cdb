# Shared by the same-run R peer scripts (benchmarks/src/r-peer.ts): key=value arguments, warm timing,
# and the one `RPEER_JSON {...}` line the TypeScript side reads. Sourced by each script from its own folder.
peer_args <- function(defaults = list()) {
  a <- defaults
  for (kv in commandArgs(trailingOnly = TRUE)) {
    parts <- regmatches(kv, regexpr("=", kv), invert = TRUE)[[1]]
    if (length(parts) != 2) stop(sprintf("argument '%s' is not key=value", kv))
    a[[parts[1]]] <- parts[2]
  }
  a
}

# `warmup` untimed calls (default one), then `reps` timed calls (wall seconds each); returns the times
# and the last value. warmup = 0 for runs of minutes, where a warm-up would double the cost.
peer_time <- function(f, reps, warmup = 1L) {
  value <- NULL
  for (i in seq_len(warmup)) value <- f()
  secs <- numeric(reps)
  cpu <- numeric(reps)
  for (i in seq_len(reps)) {
    p0 <- proc.time()
    value <- f()
    d <- proc.time() - p0
    secs[i] <- d[["elapsed"]]
    cpu[i] <- d[["user.self"]] + d[["sys.self"]]
  }
  # cpu: this process's user + system seconds per call; on a loaded machine steadier than wall time
  list(seconds = secs, cpu = cpu, value = value)
}

# Peak resident set size of this R process (Linux VmHWM), MiB; NA elsewhere.
peer_peak_rss_mib <- function() {
  if (!file.exists("/proc/self/status")) return(NA_real_)
  line <- grep("^VmHWM:", readLines("/proc/self/status"), value = TRUE)
  if (!length(line)) return(NA_real_)
  as.numeric(gsub("[^0-9]", "", line)) / 1024
}

peer_emit <- function(seconds, version, estimate = NULL, threads = NULL) {
  out <- list(seconds = I(seconds), version = as.list(version))  # I(): an array even with one repetition
  if (!is.null(estimate)) out$estimate <- as.list(estimate)
  if (!is.null(threads)) out$threads <- threads
  rss <- peer_peak_rss_mib()
  if (!is.na(rss)) out$peakRssMiB <- rss
  cat("RPEER_JSON ", jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA), "\n", sep = "")
}

peer_versions <- function(pkgs) {
  v <- c(R = paste(R.version$major, R.version$minor, sep = "."))
  for (p in pkgs) v[[p]] <- as.character(utils::packageVersion(p))
  v
}
