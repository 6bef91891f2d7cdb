# HonestDiD 0.2.6 with a single post period (its no-nuisance ARP test): BCdata's first five
# coefficients (4 pre, 1 post). Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/honestdid_onepost.R
suppressPackageStartupMessages({ library(HonestDiD); library(jsonlite) })
data(BCdata_EventStudy, package = "HonestDiD")
beta <- unname(BCdata_EventStudy$betahat[1:5])
sigma <- unname(BCdata_EventStudy$sigma[1:5, 1:5])
Mvec <- c(0, 0.02)
Mbarvec <- c(0.5, 1)
grab <- function(x) list(lb = x$lb, ub = x$ub, method = x$method, Delta = x$Delta)
res <- list(
  meta = list(
    R = R.version.string,
    packages = list(HonestDiD = as.character(packageVersion("HonestDiD")), mvtnorm = as.character(packageVersion("mvtnorm"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = "HonestDiD::BCdata_EventStudy, betahat[1:5] and sigma[1:5, 1:5] (numPrePeriods = 4, numPostPeriods = 1)",
    call = "createSensitivityResults(method = 'Conditional' | 'C-LF', Mvec) and createSensitivityResults_relativeMagnitudes(method = 'Conditional' | 'C-LF', Mbarvec); alpha 0.05, seed 0",
    script = "packages/testing/goldens/results/honestdid_onepost.R"
  ),
  input = list(betahat = beta, sigma = sigma, numPrePeriods = 4, numPostPeriods = 1),
  Mvec = Mvec, Mbarvec = Mbarvec,
  DeltaSD = list(
    Conditional = grab(createSensitivityResults(beta, sigma, 4, 1, method = "Conditional", Mvec = Mvec)),
    C_LF = grab(createSensitivityResults(beta, sigma, 4, 1, method = "C-LF", Mvec = Mvec))
  ),
  DeltaRM = list(
    Conditional = grab(suppressWarnings(createSensitivityResults_relativeMagnitudes(beta, sigma, 4, 1, method = "Conditional", Mbarvec = Mbarvec))),
    C_LF = grab(suppressWarnings(createSensitivityResults_relativeMagnitudes(beta, sigma, 4, 1, method = "C-LF", Mbarvec = Mbarvec)))
  )
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/honestdid_onepost.json")
