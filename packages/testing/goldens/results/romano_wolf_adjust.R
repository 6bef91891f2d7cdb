# The multiple-testing adjustments of the Romano-Wolf goldens, written out from their definitions;
# sourced (from packages/testing/goldens) by romano_wolf_cities.R, romano_wolf_es_cities.R and
# cs_romano_wolf_mpdta.R, whose JSON meta.script holds this file's text after their own.
# tstar: draws x K bootstrap t-statistics under the null; t_obs: the K observed t-statistics.
# p-values: share of draws >= the observed value with a relative tie margin `tie` (no +1).
rw_adjust <- function(tstar, t_obs, tie = 1e-12) {
  A <- abs(tstar)
  a_obs <- abs(t_obs)
  K <- length(a_obs)
  p_unadj <- sapply(seq_len(K), function(k) mean(A[, k] >= a_obs[k] * (1 - tie)))
  # Romano-Wolf stepdown: largest |t| first; at step j the max over the hypotheses from j on
  ord <- order(-a_obs)
  p_rw <- numeric(K)
  run <- 0
  for (j in seq_along(ord)) {
    mx <- apply(A[, ord[j:K], drop = FALSE], 1, max)
    run <- max(run, mean(mx >= a_obs[ord[j]] * (1 - tie)))
    p_rw[ord[j]] <- run
  }
  # Westfall-Young single-step maxT
  mx_all <- apply(A, 1, max)
  p_wy <- sapply(seq_len(K), function(k) mean(mx_all >= a_obs[k] * (1 - tie)))
  # Westfall-Young stepdown minP: draw b's marginal p = share of draws with |t*| >= its |t*|
  pstar <- apply(A, 2, function(a) sapply(a, function(v) mean(a >= v * (1 - tie))))
  ordp <- order(p_unadj, -a_obs)
  p_minp <- numeric(K)
  run <- 0
  for (j in seq_along(ordp)) {
    mn <- apply(pstar[, ordp[j:K], drop = FALSE], 1, min)
    run <- max(run, mean(mn <= p_unadj[ordp[j]] * (1 + tie)))
    p_minp[ordp[j]] <- run
  }
  list(p = p_unadj, rw = p_rw, wy = p_wy, minp = p_minp)
}

# The text recorded in a golden's meta.script: the script, then this file.
rw_script_text <- function(script) {
  if (!nzchar(script)) return(NULL)
  paste(c(readLines(script), readLines("results/romano_wolf_adjust.R")), collapse = "\n")
}
