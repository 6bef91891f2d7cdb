# Same-run peer for Romano-Wolf / Westfall-Young adjusted p-values. R has no Romano-Wolf package in the
# peers library (wildrwolf is not installed), so this script does what wildrwolf does, written here:
# one feols(y_k ~ treat | city + year) per outcome (fitted outside the timing, as wildrwolf takes the
# fits), then per outcome fwildclusterboot's boottest (WCR, Rademacher, engine "R", no CI) with the
# SAME seed, so every outcome sees the same weight draws, and the adjustments from the bootstrap t's:
#   unadjusted  share of |t*_k| >= |t_k|
#   Romano-Wolf stepdown maxT over the hypotheses not yet rejected, largest |t| first, monotone
#   Westfall-Young single-step maxT, and stepdown minP over the draws' marginal bootstrap p-values.
# Args: file=<csv> outcomes=y1,y2,... cluster=zone B=999 warmup=1 reps=3 seed=1.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
suppressPackageStartupMessages({ library(fixest); library(fwildclusterboot); library(data.table) })
a <- peer_args(list(cluster = "zone", B = "999", warmup = "1", reps = "3", seed = "1"))
if (is.null(a$file) || is.null(a$outcomes)) stop("romano-wolf.R: arguments file=<csv> and outcomes=<a,b,...> are required")
d <- as.data.frame(fread(a$file))
outcomes <- strsplit(a$outcomes, ",")[[1]]
setFixest_nthreads(1)
fits <- lapply(outcomes, function(o) feols(as.formula(paste(o, "~ treat | city + year")), data = d))
adjust <- function(tobs, tstar) {
  A <- abs(tstar); a0 <- abs(tobs); K <- length(a0); B <- nrow(A)
  p <- vapply(seq_len(K), function(k) mean(A[, k] >= a0[k]), 0)
  ord <- order(-a0); rw <- numeric(K); run <- 0
  for (j in seq_len(K)) {
    mx <- do.call(pmax, as.data.frame(A[, ord[j:K], drop = FALSE]))
    run <- max(run, mean(mx >= a0[ord[j]])); rw[ord[j]] <- run
  }
  mxall <- do.call(pmax, as.data.frame(A))
  wy <- vapply(seq_len(K), function(k) mean(mxall >= a0[k]), 0)
  # marginal bootstrap p of each draw: share of draws at least as large (rank with ties at the top)
  pstar <- apply(A, 2, function(x) rank(-x, ties.method = "max") / B)
  ordp <- order(p, -a0); mp <- numeric(K); run <- 0
  for (j in seq_len(K)) {
    mn <- do.call(pmin, as.data.frame(pstar[, ordp[j:K], drop = FALSE]))
    run <- max(run, mean(mn <= p[ordp[j]])); mp[ordp[j]] <- run
  }
  list(p = p, rw = rw, wy = wy, minp = mp)
}
run <- function() {
  boots <- lapply(fits, function(f) {
    dqrng::dqset.seed(as.integer(a$seed))
    set.seed(as.integer(a$seed))
    boottest(f, param = "treat", clustid = a$cluster, B = as.integer(a$B), fe = "city", type = "rademacher",
             impose_null = TRUE, p_val_type = "two-tailed", conf_int = FALSE, engine = "R", nthreads = 1)
  })
  tobs <- vapply(boots, function(b) unname(b$t_stat), 0)
  tstar <- sapply(boots, function(b) as.numeric(b$t_boot))
  adjust(tobs, tstar)
}
t <- peer_time(run, as.integer(a$reps), as.integer(a$warmup))
v <- t$value
est <- list(cpu_seconds = median(t$cpu))
for (k in seq_along(outcomes)) {
  o <- outcomes[k]
  est[[paste0("estimate_", o)]] <- unname(coef(fits[[k]])[["treat"]])
  est[[paste0("p_", o)]] <- v$p[k]; est[[paste0("p_rw_", o)]] <- v$rw[k]
  est[[paste0("p_wy_", o)]] <- v$wy[k]; est[[paste0("p_wy_minp_", o)]] <- v$minp[k]
}
peer_emit(t$seconds, peer_versions(c("fwildclusterboot", "fixest")), estimate = est, threads = 1L)
