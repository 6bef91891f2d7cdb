# HonestDiD 0.2.6 Delta^SD C-F (conditional-FLCI hybrid) with a single post period (the no-nuisance
# test with the FLCI rows added to the truncation): BCdata's first five coefficients (4 pre, 1 post),
# as results/honestdid_onepost.R. Run from packages/testing/goldens:
# R_LIBS=$RPEERS_LIB Rscript results/honestdid_cf_onepost.R
suppressPackageStartupMessages({ library(HonestDiD); library(jsonlite) })
data(BCdata_EventStudy, package = "HonestDiD")
beta <- unname(BCdata_EventStudy$betahat[1:5])
sigma <- unname(BCdata_EventStudy$sigma[1:5, 1:5])
Mvec <- c(0, 0.02, 0.05)
grab <- function(x) list(lb = x$lb, ub = x$ub, method = x$method, Delta = x$Delta, M = x$M)
# The accepted grid points as runs of consecutive indices [first, last] (from the same internal
# function createSensitivityResults calls), to show where an accepted grid end is isolated.
runs <- function(M) {
  r <- HonestDiD:::computeConditionalCS_DeltaSD(beta, sigma, 4, 1, M = M, hybrid_flag = "FLCI")
  idx <- which(r$accept == 1)
  starts <- idx[c(TRUE, diff(idx) > 1)]
  ends <- idx[c(diff(idx) > 1, TRUE)]
  list(M = M, grid_lb = r$grid[1], grid_ub = r$grid[length(r$grid)], runs = lapply(seq_along(starts), function(i) c(r$grid[starts[i]], r$grid[ends[i]])))
}
res <- list(
  meta = list(
    R = R.version.string,
    packages = list(HonestDiD = as.character(packageVersion("HonestDiD")), CVXR = as.character(packageVersion("CVXR"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = "HonestDiD::BCdata_EventStudy, betahat[1:5] and sigma[1:5, 1:5] (numPrePeriods = 4, numPostPeriods = 1)",
    call = "createSensitivityResults(method = 'C-F' | 'FLCI', Mvec); alpha 0.05, seed 0, gridPoints 1000 (C-F grid = the level-alpha/10 FLCI)",
    script = "packages/testing/goldens/results/honestdid_cf_onepost.R"
  ),
  input = list(betahat = beta, sigma = sigma, numPrePeriods = 4, numPostPeriods = 1),
  Mvec = Mvec,
  C_F = grab(createSensitivityResults(beta, sigma, 4, 1, method = "C-F", Mvec = Mvec)),
  FLCI = grab(createSensitivityResults(beta, sigma, 4, 1, method = "FLCI", Mvec = Mvec)),
  C_F_accepted_runs = lapply(Mvec, runs)
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/honestdid_cf_onepost.json")
