# HonestDiD 0.2.6 Delta^SD C-F (conditional-FLCI hybrid, hybrid_flag = "FLCI", kappa = alpha/10) and
# FLCI on LWdata (9 pre, 23 post; first post period and the average of the post periods) and on the
# mpdta Sun-Abraham event study whose betahat / sigma are in results/honestdid.json.
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/honestdid_cf.R
suppressPackageStartupMessages({ library(HonestDiD); library(jsonlite) })
data(LWdata_EventStudy, package = "HonestDiD")
grab <- function(x) list(lb = x$lb, ub = x$ub, method = x$method, Delta = x$Delta, M = x$M)
run <- function(beta, sigma, nPre, nPost, l_vec, Mvec) {
  t0 <- proc.time()[["elapsed"]]
  cf <- createSensitivityResults(beta, sigma, nPre, nPost, method = "C-F", Mvec = Mvec, l_vec = l_vec)
  t1 <- proc.time()[["elapsed"]]
  fl <- createSensitivityResults(beta, sigma, nPre, nPost, method = "FLCI", Mvec = Mvec, l_vec = l_vec)
  list(call = list(fun = "createSensitivityResults", l_vec = l_vec, alpha = 0.05, seed = 0, Mvec = Mvec),
       C_F = grab(cf), FLCI = grab(fl), seconds_C_F = t1 - t0)
}
lw <- LWdata_EventStudy
nPreLW <- length(lw$prePeriodIndices)
nPostLW <- length(lw$postPeriodIndices)
golden <- fromJSON("results/honestdid.json", simplifyMatrix = TRUE)
sa <- golden$mpdta_sunab$input
res <- list(
  meta = list(
    R = R.version.string,
    packages = list(HonestDiD = as.character(packageVersion("HonestDiD")), CVXR = as.character(packageVersion("CVXR"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    load_1min = unname(as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1])),
    data = "HonestDiD::LWdata_EventStudy (betahat, sigma; 9 pre, 23 post) and results/honestdid.json mpdta_sunab$input",
    call = "createSensitivityResults(method = 'C-F' | 'FLCI', Mvec, l_vec); alpha 0.05, seed 0, gridPoints 1000 (C-F grid = the level-alpha/10 FLCI)",
    script = "packages/testing/goldens/results/honestdid_cf.R"
  ),
  LWdata = c(list(input = list(betahat = unname(lw$betahat), sigma = unname(lw$sigma), numPrePeriods = nPreLW, numPostPeriods = nPostLW)),
             list(first_post = run(unname(lw$betahat), unname(lw$sigma), nPreLW, nPostLW, basisVector(1, nPostLW), c(0, 0.05)),
                  average_post = run(unname(lw$betahat), unname(lw$sigma), nPreLW, nPostLW, rep(1 / nPostLW, nPostLW), c(0.02)))),
  mpdta_sunab = list(first_post = run(sa$betahat, sa$sigma, sa$numPrePeriods, sa$numPostPeriods, basisVector(1, sa$numPostPeriods), c(0, 0.01, 0.03)))
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/honestdid_cf.json")
