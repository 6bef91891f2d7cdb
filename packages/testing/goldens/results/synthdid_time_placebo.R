# synthdid 0.0.9 synthdid_placebo (placebo in time, default treated.fraction) on california_prop99 (the mpdta block,
# T0 = 3, leaves one placebo pre-period, where synthdid's matrix code drops a dimension and fails); synthdid and did estimators (sc_estimate cannot be replayed
# by synthdid_placebo in 0.0.9: omega.intercept is passed twice). Deterministic (Frank-Wolfe; no random numbers).
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/synthdid_time_placebo.R
suppressPackageStartupMessages({ library(synthdid); library(jsonlite) })
ca <- read.csv("data/california_prop99.csv")
setups <- list(
  california_prop99 = panel.matrices(ca, unit = "State", time = "Year", outcome = "PacksPerCapita", treatment = "treated"))
one <- function(est) {
  p <- synthdid_placebo(est)
  w <- attr(p, "weights"); s <- attr(p, "setup")
  list(estimate = c(p), T0 = s$T0, omega = c(w$omega), lambda = c(w$lambda))
}
out <- lapply(setups, function(s) list(
  synthdid = one(synthdid_estimate(s$Y, s$N0, s$T0)),
  did = one(did_estimate(s$Y, s$N0, s$T0))
))
res <- c(list(meta = list(
  R = R.version.string, packages = list(synthdid = as.character(packageVersion("synthdid"))),
  generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
  data = "packages/testing/goldens/data/california_prop99.csv",
  call = "synthdid_placebo(synthdid_estimate(Y, N0, T0)) and synthdid_placebo(did_estimate(Y, N0, T0)), treated.fraction = 1 - T0 / T",
  tolerances = "Frank-Wolfe (iterative, synthdid's stopping rule): 1e-8",
  script = "packages/testing/goldens/results/synthdid_time_placebo.R")), out)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA), "results/synthdid_time_placebo.json")
