# LP-DiD (Dube, Girardi, Jorda & Taylor 2023) by plain fixest::feols on hand-built clean samples:
# an independent implementation from the paper's definitions (no LP-DiD package).
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/lpdid_mpdta.R
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })

# Outcome of the same unit `k` periods away (periods = sorted distinct years), NA where absent.
shifted <- function(d, y, k) {
  key <- paste(d$unit, d$pidx + k)
  d[[y]][match(key, paste(d$unit, d$pidx))]
}

# One regression: dependent = mean of y at period offsets `leads` minus y at t-1; sample = newly
# treated at t (G in (year_{t-1}, year_t]) or clean control (G > year at t + control_lead).
lp_fit <- function(d, y, leads, control_lead, reweight) {
  periods <- sort(unique(d$year))
  np <- length(periods)
  ylag <- shifted(d, y, -1)
  ylead <- Reduce(`+`, lapply(leads, function(k) shifted(d, y, k))) / length(leads)
  d$dy <- ylead - ylag
  prev <- ifelse(d$pidx > 1, periods[pmax(d$pidx - 1, 1)], NA)
  d$sw <- as.numeric(!is.na(prev) & d$G <= d$year & d$G > prev)
  pc <- d$pidx + control_lead
  clean <- !is.na(prev) & pc <= np & d$G > periods[pmin(pc, np)]
  s <- d[(d$sw == 1 | clean) & !is.na(d$dy), ]
  if (reweight) {
    n_all <- ave(rep(1, nrow(s)), s$year, FUN = sum)
    n_ctl <- ave(1 - s$sw, s$year, FUN = sum)
    s <- s[n_ctl > 0, ]
    s$w <- (n_all / n_ctl)[n_ctl > 0]
    f <- feols(dy ~ sw | year, data = s, weights = ~w, cluster = ~unit)
  } else {
    f <- feols(dy ~ sw | year, data = s, cluster = ~unit)
  }
  ct <- coeftable(f)
  ci <- confint(f, level = 0.95)
  list(estimate = unname(ct["sw", 1]), se = unname(ct["sw", 2]), conf_low = unname(ci["sw", 1]),
       conf_high = unname(ci["sw", 2]), nobs = nobs(f), n_treated = sum(s$sw))
}

lp_all <- function(d, y, pre, post, reweight, nocomp) {
  hs <- setdiff(seq(-pre, post), -1)
  horizons <- lapply(hs, function(h) {
    r <- lp_fit(d, y, h, if (h < 0) 0 else if (nocomp) post else h, reweight)
    c(list(horizon = h), r)
  })
  list(
    options = list(pre = pre, post = post, reweight = reweight, nocomp = nocomp),
    horizons = horizons,
    pooled_post = lp_fit(d, y, 0:post, post, reweight),
    pooled_pre = if (pre >= 2) lp_fit(d, y, seq(-pre, -2), 0, reweight) else NULL
  )
}

prep <- function(path) {
  d <- read.csv(path)
  d$unit <- d$countyreal
  d$G <- ifelse(d$first.treat == 0, Inf, d$first.treat)
  d$pidx <- match(d$year, sort(unique(d$year)))
  d
}

cases <- list(
  list(name = "plain", pre = 3, post = 3, reweight = FALSE, nocomp = FALSE),
  list(name = "reweight", pre = 3, post = 3, reweight = TRUE, nocomp = FALSE),
  list(name = "nocomp", pre = 2, post = 2, reweight = FALSE, nocomp = TRUE),
  list(name = "reweight_nocomp", pre = 2, post = 2, reweight = TRUE, nocomp = TRUE)
)
run_data <- function(path) {
  d <- prep(path)
  setNames(lapply(cases, function(cs) lp_all(d, "lemp", cs$pre, cs$post, cs$reweight, cs$nocomp)), sapply(cases, `[[`, "name"))
}

res <- list(
  meta = list(
    R = R.version.string,
    packages = list(fixest = as.character(packageVersion("fixest"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    description = paste(
      "LP-DiD built from the paper's definitions with fixest::feols(dy ~ sw | year, cluster = ~unit) per horizon.",
      "dy = y_{t+h} - y_{t-1} (h >= 0 and pre-periods h <= -2; t+h, t-1 are neighbouring periods of the sorted years);",
      "sample = newly treated (first.treat in (year_{t-1}, year_t]) or clean controls (first.treat > year at t+h for h >= 0, at t for h < 0; at t+post for every h >= 0 with nocomp);",
      "pooled_post: dy = mean(y_t..y_{t+post}) - y_{t-1}, controls untreated at t+post; pooled_pre: dy = mean(y_{t-pre}..y_{t-2}) - y_{t-1}, controls untreated at t.",
      "reweight: every row of year t weighted N_t / N_control,t (years without a clean control dropped), giving the equally-weighted ATT.",
      "CR1 by unit, fixest default small-sample correction; 95% CI from confint (t with G-1 df). first.treat = 0 is never treated."),
    call = "lp_fit() in this script, outcome lemp, unit countyreal, time year",
    script = "packages/testing/goldens/results/lpdid_mpdta.R",
    data_csv = list("packages/testing/goldens/data/mpdta.csv", "packages/testing/goldens/data/mpdta_unbalanced.csv")
  ),
  mpdta = run_data("data/mpdta.csv"),
  mpdta_unbalanced = run_data("data/mpdta_unbalanced.csv")
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/lpdid_mpdta.json")
