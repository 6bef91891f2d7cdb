# Same-run peer: synthdid 0.0.9 standard errors, vcov(est, method = "placebo" | "bootstrap" | "jackknife"),
# on a block-adoption panel read from a CSV (columns unit, time, y, treated; panel.matrices orders the rows).
# The estimate is fitted once outside the timing; each timed call is set.seed(seed); vcov(...), so the
# placebo and bootstrap draws are R's sample() stream, the one Panel Lab's synthdidSe reproduces.
# Args: file=<csv> method=placebo replications=200 seed=1 warmup=1 reps=3 (warmup=0: the long cases time
# one cold call; vcov has nothing to warm once the estimate is fitted).
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
suppressPackageStartupMessages({ library(synthdid); library(data.table) })
a <- peer_args(list(method = "placebo", replications = "200", seed = "1", warmup = "1", reps = "3"))
if (is.null(a$file)) stop("synthdid-vcov.R: argument file=<csv> is required")
if (!a$method %in% c("placebo", "bootstrap", "jackknife")) stop(sprintf("synthdid-vcov.R: method must be placebo, bootstrap or jackknife, got '%s'", a$method))
d <- as.data.frame(fread(a$file))
setup <- panel.matrices(d, unit = "unit", time = "time", outcome = "y", treatment = "treated")
est <- synthdid_estimate(setup$Y, setup$N0, setup$T0)
run <- function() {
  set.seed(as.integer(a$seed))
  vcov(est, method = a$method, replications = as.integer(a$replications))
}
t <- peer_time(run, as.integer(a$reps), as.integer(a$warmup))
se <- sqrt(t$value[1, 1])
peer_emit(t$seconds, peer_versions("synthdid"),
          estimate = c(cpu_seconds = median(t$cpu), estimate = as.numeric(est), se = if (is.na(se)) NA_real_ else se,
                       N0 = setup$N0, N1 = nrow(setup$Y) - setup$N0, T0 = setup$T0), threads = 1L)
