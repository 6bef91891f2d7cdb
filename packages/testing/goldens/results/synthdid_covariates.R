# synthdid 0.0.9 with time-varying covariates (synthdid_estimate(Y, N0, T0, X = array)): the weights and the
# covariate coefficients beta solved jointly (sc.weight.fw.covariates: a Frank-Wolfe step for lambda and for
# omega and a 1/t gradient step for beta per iteration, no sparsify round).
#  * california_prop99 (ships with synthdid) with two covariates we construct deterministically from the state's
#    alphabetical index i and the year: x1 = ((i mod 7) - 3) (year - 1985) / 10 + sin(year),
#    x2 = cos(i) sqrt(year - 1969) + 0.01 PacksPerCapita. Their values are written into the JSON (row order of
#    data/california_prop99.csv) so the tests read exactly R's doubles.
#  * data/cities_panel.csv (ours): the block of never-treated cities and cohort 2015, covariate x.
# Per estimator (synthdid / sc / did): estimate, omega, lambda, beta, effect curve, iterations; the jackknife
# (weights fixed, beta re-solved as synthdid does) with all replicates; the first placebo (and, for cities,
# bootstrap) replicates re-drawn by hand with the seed exactly as synthdid's placebo_se / bootstrap_sample do
# (the covariate solver runs up to 10000 R-level iterations per draw, so 200 draws take hours); synthdid_placebo.
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/synthdid_covariates.R [california|cities]
# (default both; each case writes results/synthdid_covariates_<case>.json, so the two can run in parallel).
suppressPackageStartupMessages({ library(synthdid); library(jsonlite) })
seed <- 20240612
args <- commandArgs(trailingOnly = TRUE)
cases <- if (length(args) == 0) c("california", "cities") else args

array_of <- function(d, setup, unit, time, cols) {
  X <- array(0, dim = c(dim(setup$Y), length(cols)))
  ri <- match(as.character(d[[unit]]), rownames(setup$Y))
  ci <- match(as.character(d[[time]]), colnames(setup$Y))
  for (k in seq_along(cols)) X[cbind(ri, ci, k)] <- d[[cols[k]]]
  X
}

placebo_reps <- function(est, n) {
  s <- attr(est, "setup"); w <- attr(est, "weights"); opts <- attr(est, "opts")
  N1 <- nrow(s$Y) - s$N0
  set.seed(seed)
  replicate(n, {
    ind <- sample(1:s$N0)
    N0p <- length(ind) - N1
    wb <- w
    wb$omega <- synthdid:::sum_normalize(w$omega[ind[1:N0p]])
    c(do.call(synthdid_estimate, c(list(Y = s$Y[ind, ], N0 = N0p, T0 = s$T0, X = s$X[ind, , , drop = FALSE], weights = wb), opts)))
  })
}

bootstrap_reps <- function(est, n) {
  s <- attr(est, "setup"); w <- attr(est, "weights"); opts <- attr(est, "opts")
  set.seed(seed)
  out <- c()
  while (length(out) < n) {
    ind <- sample(1:nrow(s$Y), replace = TRUE)
    if (all(ind <= s$N0) || all(ind > s$N0)) next
    wb <- w
    wb$omega <- synthdid:::sum_normalize(w$omega[sort(ind[ind <= s$N0])])
    out <- c(out, c(do.call(synthdid_estimate, c(list(Y = s$Y[sort(ind), ], N0 = sum(ind <= s$N0), T0 = s$T0,
                                                      X = s$X[sort(ind), , , drop = FALSE], weights = wb), opts))))
  }
  out
}

jackknife_reps <- function(est) {
  s <- attr(est, "setup"); w <- attr(est, "weights"); opts <- attr(est, "opts")
  opts$update.omega <- opts$update.lambda <- FALSE
  sapply(seq_len(nrow(s$Y)), function(i) {
    ind <- seq_len(nrow(s$Y))[-i]
    wj <- w
    wj$omega <- synthdid:::sum_normalize(w$omega[ind[ind <= s$N0]])
    c(do.call(synthdid_estimate, c(list(Y = s$Y[ind, ], N0 = sum(ind <= s$N0), T0 = s$T0, X = s$X[ind, , , drop = FALSE], weights = wj), opts)))
  })
}

fit <- function(fn, setup, X, n_placebo, n_boot, time_placebo, jackknife = TRUE) {
  t0 <- proc.time()[["elapsed"]]
  est <- fn(setup$Y, setup$N0, setup$T0, X = X)
  secs <- proc.time()[["elapsed"]] - t0
  w <- attr(est, "weights"); opts <- attr(est, "opts")
  # vcov(est, method = "jackknife") re-fits every leave-one-out; its SE is synthdid:::jackknife's formula on these
  # replicates (jackknife_reps follows jackknife_se's theta), so the fits run once.
  s <- attr(est, "setup")
  jk_reps <- if (!jackknife || s$N0 == nrow(s$Y) - 1 || sum(w$omega != 0) == 1) NULL else jackknife_reps(est)
  n <- nrow(s$Y)
  jk <- if (is.null(jk_reps)) NA else sqrt(((n - 1) / n) * (n - 1) * var(jk_reps))
  out <- list(
    estimate = c(est), omega = c(w$omega), lambda = c(w$lambda), beta = c(w$beta),
    iterations = sum(!is.na(w$vals)), seconds = secs,
    effect_curve = c(synthdid_effect_curve(est)),
    opts = list(zeta_omega = opts$zeta.omega, zeta_lambda = opts$zeta.lambda, min_decrease = opts$min.decrease, max_iter = opts$max.iter),
    jackknife = if (jackknife) list(se = if (is.na(jk)) NULL else jk, replicates = jk_reps) else NULL,
    placebo = list(seed = seed, replicates = placebo_reps(est, n_placebo))
  )
  if (n_boot > 0) out$bootstrap <- list(seed = seed, replicates = bootstrap_reps(est, n_boot))
  if (time_placebo) {
    p <- synthdid_placebo(est)
    out$time_placebo <- list(estimate = c(p), beta = c(attr(p, "weights")$beta), T0 = attr(p, "setup")$T0)
  }
  cat(deparse(substitute(fn)), "done\n")
  out
}

# california_prop99 with two constructed covariates
ca <- read.csv("data/california_prop99.csv")
states <- sort(unique(ca$State))
i <- match(ca$State, states)
ca$x1 <- ((i %% 7) - 3) * (ca$Year - 1985) / 10 + sin(ca$Year)
ca$x2 <- cos(i) * sqrt(ca$Year - 1969) + 0.01 * ca$PacksPerCapita
ca_setup <- panel.matrices(ca, unit = "State", time = "Year", outcome = "PacksPerCapita", treatment = "treated")
ca_X <- array_of(ca, ca_setup, "State", "Year", c("x1", "x2"))

# cities_panel: never treated + cohort 2015, covariate x
ci <- read.csv("data/cities_panel.csv")
ci <- ci[ci$g %in% c(0, 2015), ]
ci$treated <- as.integer(ci$g == 2015 & ci$year >= 2015)
ci_setup <- panel.matrices(ci, unit = "city_code", time = "year", outcome = "y", treatment = "treated")
ci_X <- array_of(ci, ci_setup, "city_code", "year", "x")

meta <- list(
    R = R.version.string,
    packages = list(synthdid = as.character(packageVersion("synthdid")), jsonlite = as.character(packageVersion("jsonlite"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = c("california_prop99 (synthdid; data/california_prop99.csv) with covariates x1, x2 (formulas in the script, values in covariates)",
             "packages/testing/goldens/data/cities_panel.csv (ours): cities with g in {0, 2015}, treated = 1{g == 2015 & year >= 2015}, covariate x"),
    call = paste("panel.matrices(...); X = N x T x K array of the covariates in the same row/column order;",
                 "synthdid_estimate / sc_estimate / did_estimate(Y, N0, T0, X = X) with defaults; jackknife replicates as jackknife_se",
                 "(fixed weights, beta re-fitted) and its SE formula (california only; NA there: one treated unit);",
                 "placebo / bootstrap replicates re-drawn with set.seed(seed) following placebo_se / bootstrap_sample (with X[ind, , ]);",
                 "synthdid_placebo(est)"),
    tolerances = "estimates / weights / beta: iterative (up to 10000 joint Frank-Wolfe + gradient iterations) -> 1e-8",
    script = "packages/testing/goldens/results/synthdid_covariates.R"
  )
write_case <- function(name, value) {
  out <- list(meta = meta)
  out[[name]] <- value
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE, null = "null"), paste0("results/synthdid_covariates_", sub("_.*", "", name), ".json"))
}
if ("california" %in% cases) write_case("california_prop99", list(
    setup = list(N0 = ca_setup$N0, T0 = ca_setup$T0, unit_order = rownames(ca_setup$Y), time = colnames(ca_setup$Y)),
    covariates = list(x1 = ca$x1, x2 = ca$x2),
    synthdid = fit(synthdid_estimate, ca_setup, ca_X, 2, 0, TRUE),
    sc = fit(sc_estimate, ca_setup, ca_X, 2, 0, FALSE),
    did = fit(did_estimate, ca_setup, ca_X, 20, 0, TRUE)
  ))
if ("cities" %in% cases) {
  # time placebo not asked for on cities: its placebo T0 = floor(4 * 4 / 9) = 1, where synthdid's covariate solver
  # stops ('non-conformable arguments': Y[, 1:T0] drops to a vector)
  write_case("cities_2015", list(
    setup = list(N0 = ci_setup$N0, T0 = ci_setup$T0, unit_order = rownames(ci_setup$Y), time = colnames(ci_setup$Y)),
    # no jackknife and no sc here: with x every cities fit runs the full 10000 R-level iterations (~30 s each on our
    # machine), so 282 leave-one-out fits take hours; the jackknife path (weights fixed, beta re-fitted) is what
    # did_estimate(X = ...) itself runs, checked here on the full block; sc with covariates is checked on california
    synthdid = fit(synthdid_estimate, ci_setup, ci_X, 2, 2, FALSE, jackknife = FALSE),
    did = fit(did_estimate, ci_setup, ci_X, 2, 2, FALSE, jackknife = FALSE)
  ))
}
