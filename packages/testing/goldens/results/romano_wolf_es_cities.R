# Romano–Wolf / Westfall–Young over event-study coefficients x outcomes, in two families (issue 20
# item 6), as a plain R loop: fixest::feols on every bootstrap outcome of every hypothesis, then the
# adjustments written out from their definitions within each family. Run from packages/testing/goldens:
#   SCRIPT=results/romano_wolf_es_cities.R R_LIBS=$RPEERS_LIB Rscript results/romano_wolf_es_cities.R
# Data: data/cities_panel.csv; outcomes y and ypx = y + x; event time rel = year - g for treated cities
# (g > 0), binned to the window [-3, 2]; dummies for rel in {-3, -2, 0, 1, 2} (reference -1, never
# treated all zero); model outcome ~ dummies | city_code + year, clustered by province_code (30),
# fixest default ssc. Families: post (rel >= 0, 6 hypotheses) and pre (rel < 0, 4 hypotheses).
# Weights: data/romano_wolf_webb_weights.csv (Panel Lab's generator, seed 20261205, Webb, 499 draws; one
# column per province, codes c with weight sign(c) sqrt(|c| / 2)), the same draws for every hypothesis.
# Restricted wild cluster bootstrap of H0: beta_k = 0: u = residual of outcome ~ other dummies | city +
# year, y*_b = y + u (v_b[province] - 1), t*_b = coef_k / clustered SE_k of feols(y*_b ~ dummies | city + year).
# p-values: share of draws >= the observed value with a relative tie margin 1e-12 (no +1).
suppressMessages(library(fixest))
library(jsonlite)
source("results/romano_wolf_adjust.R")
setFixest_estimation(fixef.tol = 1e-11, fixef.iter = 1e5)
setFixest_nthreads(1)
d <- read.csv("data/cities_panel.csv")
d$ypx <- d$y + d$x
rel <- ifelse(d$g > 0, pmin(2, pmax(-3, d$year - d$g)), NA)
times <- c(-3, -2, 0, 1, 2)
dname <- function(k) if (k < 0) paste0("es_m", -k) else paste0("es_", k)
for (k in times) d[[dname(k)]] <- as.numeric(!is.na(rel) & rel == k)
terms <- sapply(times, dname)
W <- as.matrix(read.csv("data/romano_wolf_webb_weights.csv", check.names = FALSE))
W <- sign(W) * sqrt(abs(W) / 2)
v_col <- match(as.character(d$province_code), colnames(W))
stopifnot(!anyNA(v_col))
B <- nrow(W)
tie <- 1e-12
outcomes <- c("y", "ypx")
hyp <- expand.grid(k = seq_along(times), o = seq_along(outcomes))
fml <- as.formula(paste("yy ~", paste(terms, collapse = " + "), "| city_code + year"))
fit_all <- function(yv) {
  dd <- d
  dd$yy <- yv
  feols(fml, dd, cluster = ~province_code)
}
obs <- t(apply(hyp, 1, function(h) {
  f <- fit_all(d[[outcomes[h[["o"]]]]])
  c(coef(f)[[terms[h[["k"]]]]], se(f)[[terms[h[["k"]]]]])
}))
t_obs <- obs[, 1] / obs[, 2]
tstar <- matrix(NA_real_, B, nrow(hyp))
for (j in seq_len(nrow(hyp))) {
  y <- d[[outcomes[hyp$o[j]]]]
  others <- terms[-hyp$k[j]]
  dd <- d
  dd$yy <- y
  u <- resid(feols(as.formula(paste("yy ~", paste(others, collapse = " + "), "| city_code + year")), dd))
  for (b in seq_len(B)) {
    f <- fit_all(y + u * (W[b, v_col] - 1))
    tstar[b, j] <- coef(f)[[terms[hyp$k[j]]]] / se(f)[[terms[hyp$k[j]]]]
  }
}
family <- ifelse(times[hyp$k] >= 0, "post", "pre")
res <- list(p = numeric(nrow(hyp)), rw = numeric(nrow(hyp)), wy = numeric(nrow(hyp)), minp = numeric(nrow(hyp)))
for (f in unique(family)) {
  m <- which(family == f)
  a <- rw_adjust(tstar[, m, drop = FALSE], t_obs[m], tie)
  for (nm in names(res)) res[[nm]][m] <- a[[nm]]
}
rows <- lapply(seq_len(nrow(hyp)), function(j) list(
  outcome = outcomes[hyp$o[j]], coefficient = terms[hyp$k[j]], event_time = times[hyp$k[j]], family = family[j],
  estimate = obs[j, 1], se = obs[j, 2], statistic = t_obs[j],
  p_value = res$p[j], p_romano_wolf = res$rw[j], p_westfall_young = res$wy[j], p_westfall_young_minp = res$minp[j],
  t_star_first = unname(tstar[1:10, j])))
script <- Sys.getenv("SCRIPT")
out <- list(
  meta = list(
    description = "Romano-Wolf stepdown, Westfall-Young maxT and stepdown minP adjusted p-values of event-study coefficients (window [-3, 2] binned, ref -1) of two outcomes, families post (e >= 0) and pre (e < 0), by the wild cluster restricted bootstrap, as a plain R loop of fixest::feols fits over the committed weights",
    packages = list(R = as.character(getRversion()), fixest = as.character(packageVersion("fixest")), jsonlite = as.character(packageVersion("jsonlite"))),
    call = "feols(outcome ~ es_m3 + es_m2 + es_0 + es_1 + es_2 | city_code + year, cluster = ~province_code) per outcome and per bootstrap outcome y* = y + u (v - 1), u the residual with the tested dummy left out; fixef.tol = 1e-11",
    data = "data/cities_panel.csv (ypx = y + x; rel = year - g for g > 0, binned to [-3, 2]); weights data/romano_wolf_webb_weights.csv",
    script = rw_script_text(script),
    generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC")),
  seed = 20261205L, draws = B, outcomes = outcomes, rows = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "results/romano_wolf_es_cities.json")
cat("done\n")
print(data.frame(o = outcomes[hyp$o], k = times[hyp$k], family, t_obs, p = res$p, rw = res$rw, wy = res$wy, minp = res$minp))
