# LP-DiD by the R package lpdid (Cardazzi, v0.6.1; the package's own lpdid() call) on mpdta,
# plain (variance-weighted) and reweighted (equally-weighted ATT), window -3..3.
# lpdid is not on CRAN: install it from its git source into a temp library listed in RPEERS_LIB
# (remove the source's .Rprofile, which sources renv). Run from packages/testing/goldens:
#   RPEERS_LIB=<peers lib>:<lpdid lib> Rscript results/lpdid_pkg_mpdta.R <lpdid git commit>
lib <- Sys.getenv("RPEERS_LIB")
if (lib == "") stop("set RPEERS_LIB to the R library path(s) holding lpdid, fixest, plm, jsonlite")
.libPaths(c(strsplit(lib, ":")[[1]], .libPaths()))
suppressPackageStartupMessages({ library(lpdid); library(jsonlite) })
commit <- commandArgs(trailingOnly = TRUE)[1]

run_case <- function(d, rw) {
  invisible(capture.output(o <- lpdid(d, window = c(-3, 3), depvar = "lemp", unit = "countyreal", time = "year",
                                      treat_status = "treat", cluster = "countyreal", rw = rw)))
  ct <- o$coeftable
  keep <- o$window != -1  # -1 is the reference row (0, 0)
  list(horizon = o$window[keep], estimate = unname(ct$Estimate[keep]), se = unname(ct$`Std. Error`[keep]),
       nobs = o$nobs$nobs[match(o$window[keep], o$nobs$window)])
}
run_data <- function(path) {
  d <- read.csv(path)
  d$treat <- as.integer(d$first.treat > 0 & d$year >= d$first.treat)
  list(plain = run_case(d, FALSE), reweight = run_case(d, TRUE))
}

res <- list(
  meta = list(
    R = R.version.string,
    packages = list(lpdid = as.character(packageVersion("lpdid")), fixest = as.character(packageVersion("fixest")),
                    plm = as.character(packageVersion("plm"))),
    lpdid_source = list(repo = "github.com/alexCardazzi/lpdid", commit = commit),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    call = "lpdid(d, window = c(-3, 3), depvar = 'lemp', unit = 'countyreal', time = 'year', treat_status = 'treat', cluster = 'countyreal', rw = FALSE/TRUE); treat = first.treat > 0 & year >= first.treat",
    description = paste(
      "Plain: identical to lpDid (estimates, CR1 SEs, nobs).",
      "Reweighted, two convention differences of lpdid 0.6.1:",
      "(1) its weights are 1/(residual of treat_diff on year FE among newly treated), and years with no newly treated unit get weight 1/-Inf and are dropped;",
      "those years only hold controls absorbed by the year FE, so estimates are unchanged but nobs, cluster count and fixest's small-sample factor change, so SEs differ slightly (relative < 1e-3 here); checked: fixest on the independent golden's reweighted sample minus those years reproduces lpdid's SE and nobs.",
      "(2) pre-period regressions reuse the h = 0 weights (N_t/N_control,t of the h = 0 sample) instead of weights from their own sample;",
      "on balanced mpdta the two samples give the same weights, on mpdta_unbalanced they differ, so pre-period reweighted estimates differ.",
      "Not compared: pooled = TRUE (lpdid takes controls untreated at t, not at t+post) and nocomp = TRUE (lpdid also drops units treated at or after max(year) - post and uses t+post-clean controls for pre-periods)."),
    script = "packages/testing/goldens/results/lpdid_pkg_mpdta.R",
    data_csv = list("packages/testing/goldens/data/mpdta.csv", "packages/testing/goldens/data/mpdta_unbalanced.csv")
  ),
  mpdta = run_data("data/mpdta.csv"),
  mpdta_unbalanced = run_data("data/mpdta_unbalanced.csv")
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/lpdid_pkg_mpdta.json")
