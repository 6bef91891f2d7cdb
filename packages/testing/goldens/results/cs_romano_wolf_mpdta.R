# Romano–Wolf / Westfall–Young across outcomes for Callaway–Sant'Anna overall ATTs (issue 20 item 6):
# R did's influence functions of the overall ATT, multiplied in plain R by Panel Lab's committed
# multiplier weights, then the adjustments written out from their definitions. Run from
# packages/testing/goldens:
#   SCRIPT=results/cs_romano_wolf_mpdta.R R_LIBS=$RPEERS_LIB Rscript results/cs_romano_wolf_mpdta.R
# Data: data/mpdta.csv; outcomes lemp, lemp_sq = lemp^2 / 10, lemp_tr = lemp + 0.045 (year - 2003) lpop,
# lemp_tr2 = lemp + 0.065 (year - 2003) lpop (weaker effects, so the adjustments bite);
# att_gt(yname, "year", "countyreal", "first.treat") with did's defaults (never-treated controls, DR,
# varying base period), aggte type simple and dynamic (overall ATT), bstrap = FALSE (the influence
# function is what we need).
# Weights: data/cs_romano_wolf_weights.txt, written by Panel Lab's generator (seed 20261206,
# Rademacher, 199 draws): first line the county ids in Panel Lab's row order, then one line per draw
# with + or - per county. The same weight multiplies a county in every outcome.
# theta*_b = mean over counties of v_b * inf (did's mboot), se = IQR of the draws (type-1 quantiles,
# as Panel Lab) / (qnorm(.75) - qnorm(.25)), t = ATT / se, t*_b = theta*_b / se.
# p-values: share of draws >= the observed value with a relative tie margin 1e-12 (no +1).
# event_times: the dynamic aggregation's ATT(e) of every outcome (dynamic.inf.func.e), families post
# (e >= 0) and pre (e < 0), each adjusted on its own from the same draws.
suppressMessages(library(did))
library(jsonlite)
source("results/romano_wolf_adjust.R")
d <- read.csv("data/mpdta.csv")
d$lemp_sq <- d$lemp^2 / 10
d$lemp_tr <- d$lemp + 0.045 * (d$year - 2003) * d$lpop
d$lemp_tr2 <- d$lemp + 0.065 * (d$year - 2003) * d$lpop
wl <- readLines("data/cs_romano_wolf_weights.txt")
ids <- as.numeric(strsplit(wl[1], ",")[[1]])
W <- t(sapply(wl[-1], function(s) ifelse(strsplit(s, "")[[1]] == "+", 1, -1), USE.NAMES = FALSE))
B <- nrow(W)
outcomes <- c("lemp", "lemp_sq", "lemp_tr", "lemp_tr2")
tie <- 1e-12
iqr_z <- qnorm(0.75) - qnorm(0.25)
q1 <- function(x, p) quantile(x, p, type = 1, names = FALSE)

gts <- lapply(outcomes, function(o) att_gt(yname = o, tname = "year", idname = "countyreal", gname = "first.treat", data = d, bstrap = FALSE))
aggregations <- list()
for (type in c("simple", "dynamic")) {
  att <- numeric(length(outcomes))
  theta <- matrix(NA_real_, B, length(outcomes))
  for (k in seq_along(outcomes)) {
    a <- suppressWarnings(aggte(gts[[k]], type = type, bstrap = FALSE))
    inf <- if (type == "simple") a$inf.function$simple.att else a$inf.function$dynamic.inf.func
    # did's influence-function rows follow the ids of its (id, time)-sorted data
    row_ids <- unique(gts[[k]]$DIDparams$data$countyreal)
    stopifnot(length(row_ids) == length(inf), setequal(row_ids, ids))
    Wk <- W[, match(row_ids, ids)]
    theta[, k] <- as.vector(Wk %*% inf) / length(inf)
    att[k] <- a$overall.att
  }
  se <- apply(theta, 2, function(x) (q1(x, 0.75) - q1(x, 0.25)) / iqr_z)
  t_obs <- att / se
  tstar <- sweep(theta, 2, se, "/")
  p <- rw_adjust(tstar, t_obs, tie)
  aggregations[[type]] <- lapply(seq_along(outcomes), function(k) list(
    outcome = outcomes[k], estimate = att[k], se = se[k], statistic = t_obs[k],
    p_value = p$p[k], p_romano_wolf = p$rw[k], p_westfall_young = p$wy[k], p_westfall_young_minp = p$minp[k],
    t_star_first = unname(tstar[1:10, k])))
  print(type)
  print(cbind(att, se, t_obs, p = p$p, rw = p$rw, wy = p$wy, minp = p$minp))
}
# Event times of the dynamic aggregation x outcomes: families post (e >= 0) and pre (e < 0), the same
# weights for every outcome and event time; SE per (outcome, e) from these draws.
et <- list()
for (k in seq_along(outcomes)) {
  a <- suppressWarnings(aggte(gts[[k]], type = "dynamic", bstrap = FALSE))
  row_ids <- unique(gts[[k]]$DIDparams$data$countyreal)
  Wk <- W[, match(row_ids, ids)]
  inf_e <- a$inf.function$dynamic.inf.func.e
  for (m in seq_along(a$egt)) {
    et[[length(et) + 1]] <- list(outcome = outcomes[k], event_time = a$egt[m], estimate = a$att.egt[m],
                                 theta = as.vector(Wk %*% inf_e[, m]) / nrow(inf_e))
  }
}
event_times <- list()
for (fam in c("post", "pre")) {
  mem <- Filter(function(x) (x$event_time >= 0) == (fam == "post"), et)
  theta <- sapply(mem, function(x) x$theta)
  se <- apply(theta, 2, function(x) (q1(x, 0.75) - q1(x, 0.25)) / iqr_z)
  att <- sapply(mem, function(x) x$estimate)
  t_obs <- att / se
  p <- rw_adjust(sweep(theta, 2, se, "/"), t_obs, tie)
  event_times <- c(event_times, lapply(seq_along(mem), function(j) list(
    outcome = mem[[j]]$outcome, event_time = mem[[j]]$event_time, family = fam, estimate = att[j], se = se[j], statistic = t_obs[j],
    p_value = p$p[j], p_romano_wolf = p$rw[j], p_westfall_young = p$wy[j], p_westfall_young_minp = p$minp[j])))
}
script <- Sys.getenv("SCRIPT")
out <- list(
  meta = list(
    description = "Romano-Wolf stepdown, Westfall-Young maxT and stepdown minP adjusted p-values of the Callaway-Sant'Anna overall ATT (simple and dynamic aggregations) across four outcomes, from did's influence functions times Panel Lab's committed multiplier weights (one weight per county shared by every outcome)",
    packages = list(R = as.character(getRversion()), did = as.character(packageVersion("did")), jsonlite = as.character(packageVersion("jsonlite"))),
    call = "att_gt(yname, 'year', 'countyreal', 'first.treat', bstrap = FALSE); aggte(type = 'simple' | 'dynamic', bstrap = FALSE)$inf.function; theta* = W inf / n",
    data = "data/mpdta.csv (lemp_sq = lemp^2 / 10, lemp_tr = lemp + 0.045 (year - 2003) lpop, lemp_tr2 = lemp + 0.065 (year - 2003) lpop); weights data/cs_romano_wolf_weights.txt",
    script = rw_script_text(script),
    generated = format(Sys.time(), "%Y-%m-%d", tz = "UTC")),
  seed = 20261206L, draws = B, outcomes = outcomes, aggregations = aggregations, event_times = event_times)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "results/cs_romano_wolf_mpdta.json")
cat("done\n")
