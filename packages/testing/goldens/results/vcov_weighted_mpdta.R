# Weighted CR2 / CR3 (clubSandwich 0.5.8, Debian r-cran-clubsandwich) on mpdta: weighted lm().
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/vcov_weighted_mpdta.R
# Writes results/vcov_weighted_mpdta.json (17 significant digits).
# clubSandwich's default for a weighted lm is inverse_var = FALSE with target Theta = I (the weights
# are not taken as inverse variances); vcovCR(type = 'CR2' | 'CR3'), coef_test(test = 'Satterthwaite').
# clubSandwich 0.5.8 has no fixest method and plm takes no weights, so fixed effects are lm() dummies:
# compared with our feols with i(year) (year dummies as regressors) and, for CR2, with county and year
# FE absorbed (| countyreal + year; only the treat_post coefficient is compared).
suppressPackageStartupMessages({ library(clubSandwich); library(jsonlite) })
d <- read.csv("data/mpdta.csv")
cl <- read.csv("data/mpdta_clusters.csv")
d <- merge(d, cl, by = "countyreal")
d <- d[order(d$countyreal, d$year), ]
d$treat_post <- as.numeric(d$first.treat > 0 & d$year >= d$first.treat)
d$w <- exp(d$lpop) / 1000  # county population in thousands
models <- list(
  lpop_state = list(formula = "lemp ~ treat_post + lpop", cluster = "state"),
  lpop_cluster10 = list(formula = "lemp ~ treat_post + lpop", cluster = "cluster10"),
  year_dummies_state = list(formula = "lemp ~ treat_post + lpop + factor(year)", cluster = "state"),
  county_year_dummies_state = list(formula = "lemp ~ treat_post + factor(countyreal) + factor(year)", cluster = "state", types = "CR2"),
  county_year_dummies_cluster10 = list(formula = "lemp ~ treat_post + factor(countyreal) + factor(year)", cluster = "cluster10", types = "CR2")
)
out <- list()
for (key in names(models)) {
  m <- models[[key]]
  fit <- lm(as.formula(m$formula), data = d, weights = w)
  keep <- if (grepl("countyreal", m$formula)) names(coef(fit)) == "treat_post" else rep(TRUE, length(coef(fit)))
  res <- list(formula = m$formula, cluster = m$cluster, coef = unname(coef(fit)[keep]), names = names(coef(fit))[keep])
  for (type in if (is.null(m$types)) c("CR2", "CR3") else m$types) {
    V <- vcovCR(fit, cluster = d[[m$cluster]], type = type)
    ct <- coef_test(fit, vcov = V, test = "Satterthwaite")
    if (grepl("countyreal", m$formula)) {  # keep the slope (treat_post) only: the FE dummies are absorbed in our fit
      keep <- names(coef(fit)) == "treat_post"
      V <- V[keep, keep, drop = FALSE]
      ct <- ct[keep, ]
    }
    res[[type]] <- list(vcov = unname(as.matrix(V)), se = unname(sqrt(diag(as.matrix(V)))), df_satterthwaite = unname(ct$df_Satt), p_satterthwaite = unname(ct$p_Satt))
  }
  out[[key]] <- res
}
res <- list(
  meta = list(
    R = R.version.string, packages = list(clubSandwich = as.character(packageVersion("clubSandwich"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = "packages/testing/goldens/data/mpdta.csv merged with data/mpdta_clusters.csv; weights w = exp(lpop) / 1000; treat_post = 1{first.treat > 0 & year >= first.treat}",
    script = "packages/testing/goldens/results/vcov_weighted_mpdta.R",
    description = "Models with factor(countyreal): only treat_post is kept (our fit absorbs the FE), CR2 only (CR3 with county dummies and state clusters is singular). lm(formula, weights = w) then clubSandwich::vcovCR(type = CR2 / CR3, cluster = state or cluster10) with its default for weighted lm (inverse_var = FALSE, target = identity) and coef_test(test = 'Satterthwaite')."),
  models = out)
writeLines(toJSON(res, auto_unbox = TRUE, digits = I(17), pretty = TRUE), "results/vcov_weighted_mpdta.json")
