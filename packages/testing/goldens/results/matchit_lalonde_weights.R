# MatchIt 4.5.1 on lalonde: weights (with / without replacement), summary() balance columns,
# the weighted / unweighted DID of re78 - re75 on the matched sample, and its standard errors:
# MatchIt's recommended lm + sandwich (cluster by pair = subclass without replacement; HC3 with
# replacement) and fixest's TWFE on the two-period matched panel clustered by unit and by pair.
# Run from packages/testing/goldens:
#   LALONDE=data/lalonde.csv SCRIPT=results/matchit_lalonde_weights.R R_LIBS=$RPEERS_LIB Rscript results/matchit_lalonde_weights.R
suppressMessages({ library(MatchIt); library(sandwich); library(fixest) })
library(jsonlite)
d <- read.csv(Sys.getenv("LALONDE"), stringsAsFactors = FALSE)
rownames(d) <- d$id
d$race <- factor(d$race)
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
se1 <- function(v) unname(sqrt(diag(v)))[2]
one <- function(replace) {
  m <- matchit(f, data = d, method = "nearest", distance = "glm", link = "logit", ratio = 1, replace = replace)
  s <- summary(m, un = TRUE)
  mm <- m$match.matrix
  md <- d
  md$w <- m$weights
  md$dy <- md$re78 - md$re75
  k <- md$w > 0
  fw <- lm(dy ~ treat, data = md[k, ], weights = w)
  fu <- lm(dy ~ treat, data = md[k, ])
  tab <- function(x) list(term = rownames(x), means_treated = unname(x[, 1]), means_control = unname(x[, 2]),
    std_mean_diff = unname(x[, 3]), var_ratio = unname(x[, 4]), ecdf_mean = unname(x[, 5]), ecdf_max = unname(x[, 6]),
    std_pair_dist = if (ncol(x) >= 7) unname(x[, 7]) else NULL)
  # MatchIt's recommended SEs on match.data(): by pair (subclass) without replacement, HC3 with replacement
  mdat <- match.data(m)
  mdat$dy <- mdat$re78 - mdat$re75
  fm <- lm(dy ~ treat, data = mdat, weights = weights)
  rec <- if (!replace) list(estimate = unname(coef(fm)[2]), call = "sandwich::vcovCL(lm(dy ~ treat, data = match.data(m), weights = weights), cluster = ~subclass)",
      se = se1(vcovCL(fm, cluster = ~subclass)), se_cr0 = se1(vcovCL(fm, cluster = ~subclass, type = "HC0", cadjust = FALSE)))
    else list(estimate = unname(coef(fm)[2]), call = "sandwich::vcovHC(lm(dy ~ treat, data = match.data(m), weights = weights), type = 'HC3')",
      se = se1(vcovHC(fm, type = "HC3")), se_cr0 = se1(vcovHC(fm, type = "HC0")))
  # the same DID as a TWFE on the matched two-period panel (re75, re78), as our psmDid fits it
  pan <- rbind(data.frame(id = md$id[k], period = 1, y = md$re75[k], w = md$w[k], treat = md$treat[k]),
    data.frame(id = md$id[k], period = 2, y = md$re78[k], w = md$w[k], treat = md$treat[k]))
  pan$D <- pan$treat * (pan$period == 2)
  if (!replace) pan$subclass <- as.character(mdat$subclass[match(pan$id, rownames(mdat))])
  raw <- ssc(K.adj = FALSE, G.adj = FALSE)
  twfe <- function(weighted, cl) {
    e <- if (weighted) feols(y ~ D | id + period, data = pan, weights = ~w, cluster = cl) else feols(y ~ D | id + period, data = pan, cluster = cl)
    list(estimate = unname(coef(e)["D"]), se = unname(se(e)["D"]), se_cr0 = unname(sqrt(vcov(e, cluster = cl, ssc = raw)["D", "D"])), nobs = nobs(e))
  }
  list(replace = replace,
    weights = list(id = names(m$weights), weight = unname(m$weights)),
    pairs = list(treated_id = rownames(mm), control_id = unname(mm[, 1])),
    nn = list(rows = rownames(s$nn), all = unname(s$nn[, 1]), treated = unname(s$nn[, 2])),
    balance_all = tab(s$sum.all), balance_matched = tab(s$sum.matched),
    did_weighted = list(estimate = unname(coef(fw)[2]), se_ols = unname(sqrt(diag(vcov(fw)))[2]), n = sum(k)),
    did_unweighted = list(estimate = unname(coef(fu)[2]), se_ols = unname(sqrt(diag(vcov(fu)))[2]), n = sum(k)),
    se_matchit_recommended = rec,
    twfe_cluster_unit = list(weighted = twfe(TRUE, ~id), unweighted = twfe(FALSE, ~id)),
    twfe_cluster_pair = if (!replace) list(weighted = twfe(TRUE, ~subclass), unweighted = twfe(FALSE, ~subclass)) else NULL)
}
out <- list(
  meta = list(R = R.version.string, platform = R.version$platform,
    packages = list(MatchIt = as.character(packageVersion("MatchIt")), sandwich = as.character(packageVersion("sandwich")), fixest = as.character(packageVersion("fixest"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z", tz = "UTC"),
    description = paste("matchit(treat ~ age + educ + race + married + nodegree + re74 + re75, data = lalonde (data/lalonde.csv, race as factor), method = 'nearest', distance = 'glm', link = 'logit', ratio = 1, replace = FALSE | TRUE); default m.order 'largest'.",
      "weights = m$weights (with replacement: controls get the number of times matched, rescaled so the control weights sum to the number of distinct matched controls).",
      "balance_* = summary(m, un = TRUE)$sum.all / $sum.matched (standardize = TRUE: treated-SD denominator; eCDF Mean/Max; Std. Pair Dist. from the match.matrix).",
      "did_* = lm(re78 - re75 ~ treat) on the matched rows (weights > 0), with weights = m$weights or unweighted: the two-period DID on the panel (re75, re78).",
      "se_matchit_recommended: the SE MatchIt's vignette 'estimating-effects' recommends on match.data(m) (lm with weights; vcovCL by subclass, default type HC1 with G/(G-1) adjustment, without replacement; vcovHC HC3 with replacement); se_cr0 = the same without small-sample factors (vcovCL type HC0, cadjust = FALSE; vcovHC HC0).",
      "twfe_cluster_*: fixest::feols(y ~ D | id + period, weights = ~w or none) on the matched panel (two rows per matched unit), cluster = ~id or ~subclass; se with fixest's default ssc, se_cr0 with ssc(K.adj = FALSE, G.adj = FALSE)."),
    script = paste(readLines(Sys.getenv("SCRIPT")), collapse = "\n")),
  without_replacement = one(FALSE),
  with_replacement = one(TRUE))
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE, null = "null"), "results/matchit_lalonde_weights.json")
