# Romano–Wolf / Westfall–Young reference (issue 20 item 6) as a plain R loop: fixest::feols on every
# bootstrap outcome, then the adjustments written out from their definitions. Run from
# packages/testing/goldens:
#   SCRIPT=results/romano_wolf_cities.R R_LIBS=$RPEERS_LIB Rscript results/romano_wolf_cities.R
# Data: data/cities_panel.csv; outcomes y, x, ypx = y + x, ysq = y^2 / 10; model
# outcome ~ D | city_code + year, clustered by province_code (30 clusters), fixest default ssc.
# Weights: data/romano_wolf_webb_weights.csv, written by Panel Lab's generator (seed 20261205, Webb,
# 499 draws); one column per province, codes c with weight sign(c) sqrt(|c| / 2).
# Wild cluster restricted bootstrap of H0: beta_D = 0: u = residual of outcome ~ 1 | city + year,
# y*_b = y + u (v_b[province] - 1), t*_b = coef / clustered SE of feols(y*_b ~ D | city + year).
# p-values: share of draws >= the observed value with a relative tie margin 1e-12 (no +1).
suppressMessages(library(fixest))
library(jsonlite)
source("results/romano_wolf_adjust.R")
setFixest_estimation(fixef.tol = 1e-11, fixef.iter = 1e5)
setFixest_nthreads(1)
d <- read.csv("data/cities_panel.csv")
d$ypx <- d$y + d$x
d$ysq <- d$y^2 / 10
W <- as.matrix(read.csv("data/romano_wolf_webb_weights.csv", check.names = FALSE))
W <- sign(W) * sqrt(abs(W) / 2)
v_col <- match(as.character(d$province_code), colnames(W))
stopifnot(!anyNA(v_col))
outcomes <- c("y", "x", "ypx", "ysq")
B <- nrow(W)
tie <- 1e-12
fit_t <- function(yv) {
  dd <- d
  dd$yy <- yv
  f <- feols(yy ~ D | city_code + year, dd, cluster = ~province_code)
  c(coef(f)[["D"]], se(f)[["D"]])
}
obs <- t(sapply(outcomes, function(o) fit_t(d[[o]])))
t_obs <- obs[, 1] / obs[, 2]
tstar <- matrix(NA_real_, B, length(outcomes), dimnames = list(NULL, outcomes))
for (k in seq_along(outcomes)) {
  y <- d[[outcomes[k]]]
  u <- resid(feols(y ~ 1 | city_code + year, data.frame(y = y, city_code = d$city_code, year = d$year)))
  for (b in seq_len(B)) {
    r <- fit_t(y + u * (W[b, v_col] - 1))
    tstar[b, k] <- r[1] / r[2]
  }
}
p <- rw_adjust(tstar, t_obs, tie)
rows <- lapply(seq_along(outcomes), function(k) list(
  outcome = outcomes[k], estimate = obs[k, 1], se = obs[k, 2], statistic = t_obs[[k]],
  p_value = p$p[k], p_romano_wolf = p$rw[k], p_westfall_young = p$wy[k], p_westfall_young_minp = p$minp[k],
  t_star_first = unname(tstar[1:10, k])))
script <- Sys.getenv("SCRIPT")
out <- list(
  meta = list(
    description = "Romano-Wolf stepdown, Westfall-Young maxT and stepdown minP adjusted p-values of beta_D = 0 across four outcomes by the wild cluster restricted bootstrap, computed as a plain R loop of fixest::feols fits over the committed weights",
    packages = list(R = as.character(getRversion()), fixest = as.character(packageVersion("fixest")), jsonlite = as.character(packageVersion("jsonlite"))),
    call = "feols(outcome ~ D | city_code + year, cluster = ~province_code) per outcome and per bootstrap outcome y* = y + u (v - 1); fixef.tol = 1e-11",
    data = "data/cities_panel.csv (ypx = y + x, ysq = y^2 / 10); weights data/romano_wolf_webb_weights.csv",
    script = rw_script_text(script),
    generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC")),
  seed = 20261205L, draws = B, outcomes = outcomes, rows = rows)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "results/romano_wolf_cities.json")
cat("done\n")
print(cbind(t_obs, p = p$p, rw = p$rw, wy = p$wy, minp = p$minp))
