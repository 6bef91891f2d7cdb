# Same-run peer for pre-trends power (Roth 2022). R pretrends is not in the peers library, so this is
# the paper's formulas computed with mvtnorm (as our golden script goldens/results/pretrends_power.R):
#   pass = all pre-period |b_t / se_t| <= qnorm(1 - alpha/2); power = 1 - P(pass | delta),
#   delta_t = slope (t - ref); slope for a power by uniroot; at each slope the Bayes factor
#   P(pass | delta) / P(pass | 0), the likelihood ratio, and E[b_post | pass] (Tallis truncated mean of
#   the pre-period block, each term a (d-1)-dimensional pmvnorm, carried to the post periods).
# algorithm=genz: GenzBretz(maxpts, abseps = 0, releps = 0), a randomised lattice rule like ours,
# with maxpts = our lattice points x shifts; algorithm=miwa: Miwa(steps = 4096), the golden's.
# Args: file=<json: betahat, sigma, eventTimes, referencePeriod> powers=0.5,0.8 algorithm=genz
#       maxpts=327680 warmup=1 reps=3 seed=1.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
suppressPackageStartupMessages({ library(mvtnorm); library(jsonlite) })
a <- peer_args(list(powers = "0.5,0.8", algorithm = "genz", maxpts = "327680", warmup = "1", reps = "3", seed = "1", alpha = "0.05"))
if (is.null(a$file)) stop("pretrends-mvtnorm.R: argument file=<json> is required")
inp <- fromJSON(a$file, simplifyVector = TRUE)
alg <- switch(a$algorithm,
  genz = GenzBretz(maxpts = as.integer(a$maxpts), abseps = 0, releps = 0),
  miwa = Miwa(steps = 4096),
  stop(sprintf("pretrends-mvtnorm.R: algorithm must be genz or miwa, got '%s'", a$algorithm)))
crit <- qnorm(1 - as.numeric(a$alpha) / 2)
powers <- as.numeric(strsplit(a$powers, ",")[[1]])
b <- inp$betahat; S <- inp$sigma; tt <- inp$eventTimes; ref <- inp$referencePeriod
pre <- which(tt < ref); post <- setdiff(seq_along(tt), pre)
Spre <- S[pre, pre, drop = FALSE]; se <- sqrt(diag(Spre)); lo <- -crit * se; hi <- crit * se

pbox <- function(mu, V, l, h) {
  if (length(mu) == 1) return(pnorm(h, mu, sqrt(V[1, 1])) - pnorm(l, mu, sqrt(V[1, 1])))
  as.numeric(pmvnorm(lower = l, upper = h, mean = mu, sigma = V, algorithm = alg))
}
tmean <- function(mu, V, l, h) {
  a0 <- l - mu; b0 <- h - mu; d <- length(mu)
  P <- pbox(rep(0, d), V, a0, b0)
  Fk <- function(k, x) {
    if (d == 1) return(dnorm(x, 0, sqrt(V[k, k])))
    cm <- V[-k, k] / V[k, k] * x
    cV <- V[-k, -k, drop = FALSE] - V[-k, k, drop = FALSE] %*% V[k, -k, drop = FALSE] / V[k, k]
    dnorm(x, 0, sqrt(V[k, k])) * pbox(cm, cV, a0[-k], b0[-k])
  }
  Fa <- vapply(seq_len(d), function(k) Fk(k, a0[k]), 0)
  Fb <- vapply(seq_len(d), function(k) Fk(k, b0[k]), 0)
  list(P = P, mean = mu + as.numeric(V %*% (Fa - Fb)) / P)
}
run <- function() {
  set.seed(as.integer(a$seed))
  passp <- function(s) pbox(s * (tt[pre] - ref), Spre, lo, hi)
  p0 <- passp(0)
  slopes <- vapply(powers, function(p) uniroot(function(s) 1 - passp(s) - p, c(0, 50 * max(se)), tol = 1e-10)$root, 0)
  at <- lapply(slopes, function(s) {
    delta <- s * (tt - ref)
    tm <- tmean(delta[pre], Spre, lo, hi)
    postMean <- delta[post] + as.numeric(S[post, pre, drop = FALSE] %*% solve(Spre, tm$mean - delta[pre]))
    list(power = 1 - tm$P, bayes = tm$P / p0,
         lr = dmvnorm(b[pre], delta[pre], Spre) / dmvnorm(b[pre], rep(0, length(pre)), Spre), post = postMean)
  })
  list(p0 = p0, slopes = slopes, at = at)
}
t <- peer_time(run, as.integer(a$reps), as.integer(a$warmup))
v <- t$value
est <- list(cpu_seconds = median(t$cpu), prob_pass_parallel = v$p0)
for (k in seq_along(powers)) {
  tag <- sprintf("p%02d", round(100 * powers[k]))
  est[[paste0("slope_", tag)]] <- v$slopes[k]
  est[[paste0("bayes_factor_", tag)]] <- v$at[[k]]$bayes
  est[[paste0("bias_first_post_", tag)]] <- v$at[[k]]$post[1]
}
peer_emit(t$seconds, peer_versions("mvtnorm"), estimate = est, threads = 1L)
