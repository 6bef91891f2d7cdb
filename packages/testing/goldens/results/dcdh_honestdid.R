# dCdH (did_multiplegt_dyn) joint covariance of effects and placebos, and HonestDiD on it.
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/dcdh_honestdid.R
# Writes results/dcdh_honestdid.json (values with 17 significant digits).
# DIDmultiplegtDYN 2.2.0 (2.3.x needs the Rust-built 'polars') returns coef = list(b, vcov): b the
# effects then the placebos, vcov their covariance from the group (cluster) influence functions,
# cov(i, j) = (Var(U_i + U_j) - se_i^2 - se_j^2) / 2. Its later honest_did option feeds HonestDiD
# these: the placebos (oldest first) then the effects, reference period -1.
# 2.2.0 builds the per-group vectors U_i with ifelse(is.null(U), NA, U), which returns U's first
# element only, so its off-diagonal covariances are wrong (mpdta: a correlation of -1.34, sigma not
# PSD). This script corrects that one expression to if (is.null(U)) NA else U in the package's
# did_multiplegt_main before running it; everything else is the package's own code.
suppressPackageStartupMessages({ library(DIDmultiplegtDYN); library(HonestDiD); library(jsonlite) })

fix_ifelse <- function(e) {
  if (is.call(e)) {
    if (identical(e[[1]], as.name("ifelse")) && length(e) == 4 && is.call(e[[2]]) && identical(e[[2]][[1]], as.name("is.null"))) {
      return(call("if", e[[2]], fix_ifelse(e[[3]]), fix_ifelse(e[[4]])))
    }
    for (k in seq_along(e)) if (!is.null(e[[k]])) e[[k]] <- fix_ifelse(e[[k]])
  }
  e
}
main <- get("did_multiplegt_main", asNamespace("DIDmultiplegtDYN"))
body(main) <- fix_ifelse(body(main))
assignInNamespace("did_multiplegt_main", main, "DIDmultiplegtDYN")

run <- function(f, ...) {
  out <- suppressWarnings(do.call(f, list(...)))
  list(lb = out$lb, ub = out$ub, method = out$method, Delta = out$Delta)
}
one <- function(df, outcome, group, time, treatment, effects, placebo, weight = NULL) {
  r <- suppressMessages(did_multiplegt_dyn(df, outcome, group, time, treatment, effects = effects,
                                           placebo = placebo, weight = weight, graph_off = TRUE))
  b <- r$coef$b; V <- r$coef$vcov
  nE <- r$results$N_Effects; nP <- r$results$N_Placebos
  ord <- c(nE + rev(seq_len(nP)), seq_len(nE))  # Placebo_nP .. Placebo_1, Effect_1 .. Effect_nE
  betahat <- unname(b[ord]); sigma <- unname(V[ord, ord])
  common <- list(betahat = betahat, sigma = sigma, numPrePeriods = nP, numPostPeriods = nE)
  Mvec <- c(0, 0.02, 0.05); Mbarvec <- c(0, 0.5, 1)
  orig <- constructOriginalCS(betahat = betahat, sigma = sigma, numPrePeriods = nP, numPostPeriods = nE)
  list(
    call = sprintf("did_multiplegt_dyn(df, '%s', '%s', '%s', '%s', effects = %d, placebo = %d%s, graph_off = TRUE)",
                   outcome, group, time, treatment, effects, placebo, if (is.null(weight)) "" else sprintf(", weight = '%s'", weight)),
    coef = list(names = names(b), b = unname(b), vcov = unname(V),
                se_effects = unname(r$results$Effects[, "SE"]), se_placebos = unname(r$results$Placebos[, "SE"])),
    honest = list(
      terms = names(b)[ord], betahat = betahat, sigma = sigma, numPrePeriods = nP, numPostPeriods = nE,
      original = list(lb = orig$lb, ub = orig$ub),
      DeltaSD = list(Mvec = Mvec, FLCI = do.call(run, c(list(createSensitivityResults), common, list(method = "FLCI", Mvec = Mvec))),
                     C_LF = do.call(run, c(list(createSensitivityResults), common, list(method = "C-LF", Mvec = Mvec)))),
      DeltaRM = list(Mbarvec = Mbarvec, C_LF = do.call(run, c(list(createSensitivityResults_relativeMagnitudes), common, list(method = "C-LF", Mbarvec = Mbarvec))))
    )
  )
}
mpdta <- read.csv("data/mpdta.csv")
mpdta$d <- as.numeric(mpdta$first.treat > 0 & mpdta$year >= mpdta$first.treat)
castle <- read.csv("data/castle.csv")
res <- list(
  meta = list(
    R = R.version.string,
    packages = list(DIDmultiplegtDYN = as.character(packageVersion("DIDmultiplegtDYN")), HonestDiD = as.character(packageVersion("HonestDiD")),
                    CVXR = as.character(packageVersion("CVXR")), lpSolveAPI = as.character(packageVersion("lpSolveAPI"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = c("packages/testing/goldens/data/mpdta.csv", "packages/testing/goldens/data/castle.csv"),
    description = "did_multiplegt_dyn (with the ifelse(is.null(U), NA, U) -> if (is.null(U)) NA else U correction of its vcov, see the script) coef$b / coef$vcov (effects then placebos; SEs clustered by group); HonestDiD on placebos (oldest first) then effects: constructOriginalCS, createSensitivityResults (FLCI, C-LF; Mvec), createSensitivityResults_relativeMagnitudes (C-LF; Mbarvec); l_vec = first post period, alpha 0.05",
    script = "packages/testing/goldens/results/dcdh_honestdid.R"
  ),
  mpdta = one(mpdta, "lemp", "countyreal", "year", "d", effects = 3, placebo = 3),
  castle_popwt = one(castle, "l_homicide", "sid", "year", "post", effects = 4, placebo = 3, weight = "popwt")
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/dcdh_honestdid.json")
