# HonestDiD 0.2.6 sensitivity on a panel of ours: a TWFE event study on data/cities_panel.csv.
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/honestdid_cities.R
# Writes results/honestdid_cities.json (values with 17 significant digits).
suppressPackageStartupMessages({ library(fixest); library(HonestDiD); library(jsonlite) })

d <- read.csv("data/cities_panel.csv")
d$rel <- ifelse(d$g == 0, -1000, d$year - d$g)
# window [-4, 4], endpoints 'trim': treated rows outside the window are dropped (never-treated kept)
d <- d[d$g == 0 | (d$rel >= -4 & d$rel <= 4), ]
fit <- feols(y ~ i(rel, ref = c(-1, -1000)) | city_code + year, data = d, cluster = ~city_code)
beta <- coef(fit)
sigma <- vcov(fit)
rel <- as.numeric(sub("rel::", "", names(beta)))
numPre <- sum(rel < -1); numPost <- sum(rel >= 0)

run <- function(f, ...) {
  args <- list(...)
  out <- suppressWarnings(withCallingHandlers(do.call(f, args)))
  list(lb = out$lb, ub = out$ub, method = out$method, Delta = out$Delta)
}
Mvec <- c(0, 0.05, 0.1)
Mbarvec <- c(0, 0.5, 1)
common <- list(betahat = unname(beta), sigma = unname(sigma), numPrePeriods = numPre, numPostPeriods = numPost)
res <- list(
  meta = list(
    R = R.version.string,
    packages = list(HonestDiD = as.character(packageVersion("HonestDiD")), fixest = as.character(packageVersion("fixest")),
                    CVXR = as.character(packageVersion("CVXR")), lpSolveAPI = as.character(packageVersion("lpSolveAPI"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = "packages/testing/goldens/data/cities_panel.csv",
    call = "feols(y ~ i(rel, ref = c(-1, -1000)) | city_code + year, cluster = ~city_code) on rows with g == 0 or -4 <= year - g <= 4; HonestDiD createSensitivityResults (Conditional, C-LF, FLCI; Mvec) and createSensitivityResults_relativeMagnitudes (C-LF; Mbarvec), l_vec = first post period, alpha 0.05, seed 0",
    script = "packages/testing/goldens/results/honestdid_cities.R"
  ),
  input = list(terms = names(beta), rel_time = rel, betahat = unname(beta), sigma = unname(sigma),
               numPrePeriods = numPre, numPostPeriods = numPost, nobs = nobs(fit)),
  DeltaSD = list(
    Mvec = Mvec,
    Conditional = do.call(run, c(list(createSensitivityResults), common, list(method = "Conditional", Mvec = Mvec))),
    C_LF = do.call(run, c(list(createSensitivityResults), common, list(method = "C-LF", Mvec = Mvec))),
    FLCI = do.call(run, c(list(createSensitivityResults), common, list(method = "FLCI", Mvec = Mvec)))
  ),
  DeltaRM = list(
    Mbarvec = Mbarvec,
    C_LF = do.call(run, c(list(createSensitivityResults_relativeMagnitudes), common, list(method = "C-LF", Mbarvec = Mbarvec)))
  )
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/honestdid_cities.json")
