# Pre-trends power (Roth 2022, AER: Insights, "Pretest with Caution"), computed independently of
# the R package pretrends (not installed) from the paper's formulas with mvtnorm:
#   pass      = all pre-period |betahat_t / se_t| <= qnorm(0.975)   (rectangle test)
#   power     = 1 - P(pass | delta),  delta_t = slope * (t - ref)
#   bayes     = P(pass | delta) / P(pass | 0)
#   lr        = dmvnorm(b_pre, delta_pre, S_pre) / dmvnorm(b_pre, 0, S_pre)
#   mean      = E[betahat | pass]: pre part = truncated-normal mean (Tallis 1961 / Manjunath &
#               Wilhelm 2009 moment formula, each term a (d-1)-dim pmvnorm), post part =
#               delta_post + S_post,pre S_pre^-1 (E[b_pre | pass] - delta_pre)
#   slope(p)  = uniroot of power(slope) - p
# Probabilities by Miwa's algorithm (deterministic; steps = 4096).
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/pretrends_power.R
# Inputs: BCdata from results/honestdid.json (HonestDiD 0.2.6 BCdata_EventStudy, years 2004-2012,
# reference 2008 -> event times -4..-1, 1..4); the cities TWFE event study from
# results/honestdid_cities.json (fixest, event times -4..-2, 0..4, reference -1).
suppressPackageStartupMessages({ library(mvtnorm); library(jsonlite) })

alg <- Miwa(steps = 4096)
crit <- qnorm(0.975)

pbox <- function(mu, S, lo, hi) {
  if (length(mu) == 0) return(1)
  if (length(mu) == 1) return(pnorm(hi, mu, sqrt(S[1, 1])) - pnorm(lo, mu, sqrt(S[1, 1])))
  as.numeric(pmvnorm(lower = lo, upper = hi, mean = mu, sigma = S, algorithm = alg))
}

# E[X | lo <= X <= hi], X ~ N(mu, S) (moment formula of Tallis 1961)
tmean <- function(mu, S, lo, hi) {
  a <- lo - mu; b <- hi - mu; d <- length(mu)
  P <- pbox(rep(0, d), S, a, b)
  Fk <- function(k, x) {
    if (d == 1) return(dnorm(x, 0, sqrt(S[k, k])))
    cm <- S[-k, k] / S[k, k] * x
    cS <- S[-k, -k, drop = FALSE] - S[-k, k, drop = FALSE] %*% S[k, -k, drop = FALSE] / S[k, k]
    dnorm(x, 0, sqrt(S[k, k])) * pbox(cm, cS, a[-k], b[-k])
  }
  Fa <- sapply(seq_len(d), function(k) Fk(k, a[k]))
  Fb <- sapply(seq_len(d), function(k) Fk(k, b[k]))
  list(P = P, mean = mu + as.numeric(S %*% (Fa - Fb)) / P)
}

analyse <- function(betahat, sigma, t, ref, name) {
  pre <- which(t < ref)
  post <- setdiff(seq_along(t), pre)
  Spre <- sigma[pre, pre, drop = FALSE]
  se <- sqrt(diag(Spre)); lo <- -crit * se; hi <- crit * se
  passp <- function(slope) pbox(slope * (t[pre] - ref), Spre, lo, hi)
  p0 <- passp(0)
  at <- function(slope) {
    delta <- slope * (t - ref)
    tm <- tmean(delta[pre], Spre, lo, hi)
    bpre <- betahat[pre]
    postMean <- delta[post] + as.numeric(sigma[post, pre, drop = FALSE] %*% solve(Spre, tm$mean - delta[pre]))
    meanAll <- numeric(length(t)); meanAll[pre] <- tm$mean; meanAll[post] <- postMean
    list(slope = slope, delta = delta, power = 1 - tm$P, probPassUnderTrend = tm$P, probPassUnderParallel = p0,
         bayesFactor = tm$P / p0,
         likelihoodRatio = dmvnorm(bpre, delta[pre], Spre) / dmvnorm(bpre, rep(0, length(pre)), Spre),
         meanAfterPretest = meanAll)
  }
  root <- function(p) {
    u <- uniroot(function(s) 1 - passp(s) - p, c(0, 50 * max(se)), tol = 1e-13)
    u$root
  }
  slopes <- list(p50 = root(0.5), p80 = root(0.8))
  list(
    input = list(betahat = betahat, sigma = sigma, eventTimes = t, referencePeriod = ref, name = name),
    probPassUnderParallel = p0,
    slopeForPower = list(power = c(0.5, 0.8), slope = c(slopes$p50, slopes$p80)),
    atSlope = list(at(slopes$p50), at(slopes$p80), at(0.01))
  )
}

hd <- fromJSON("results/honestdid.json", simplifyVector = TRUE)
bc <- hd$BCdata$input
bcTimes <- c(2004:2007, 2009:2012) - 2008
ci <- fromJSON("results/honestdid_cities.json", simplifyVector = TRUE)$input

res <- list(
  meta = list(
    R = R.version.string,
    packages = list(mvtnorm = as.character(packageVersion("mvtnorm")), jsonlite = as.character(packageVersion("jsonlite"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    method = "independent computation of Roth (2022) pre-test power quantities from the paper's formulas (R package pretrends not installed): mvtnorm::pmvnorm(algorithm = Miwa(steps = 4096)) rectangle probabilities, Tallis (1961) truncated-normal mean, uniroot (tol 1e-13) for the slope with given power; alpha = 0.05 two-sided per coefficient",
    data = "BCdata: input of results/honestdid.json (HonestDiD 0.2.6 BCdata_EventStudy; event time = year - 2008, reference 0); cities: input of results/honestdid_cities.json (fixest TWFE event study on data/cities_panel.csv, reference -1)",
    tolerance = "Miwa is deterministic (error ~1e-10 here); compare QMC results within their reported error bound",
    script = "packages/testing/goldens/results/pretrends_power.R"
  ),
  BCdata = analyse(as.numeric(bc$betahat), as.matrix(bc$sigma), bcTimes, 0, "BCdata"),
  cities = analyse(as.numeric(ci$betahat), as.matrix(ci$sigma), as.numeric(ci$rel_time), -1, "cities")
)
writeLines(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = TRUE), "results/pretrends_power.json")
