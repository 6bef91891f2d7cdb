# Golden: the published example of the R package pretrends (Roth 2022), He and Wang (2017) Figure 2C.
# The package is not in the peers library; its repository (github.com/jonathandroth/pretrends, commit
# 122731d) ships the event study as data/HeAndWangResults.rda and prints the results in README.md.
# This script only exports that data; the expected values in pretrends_he_wang.json are copied from
# the README's printed output (pretrends' own computation, mvtnorm GenzBretz: quasi-Monte Carlo).
# Usage: PRETRENDS_RDA=<path to HeAndWangResults.rda> Rscript pretrends_he_wang.R
rda <- Sys.getenv("PRETRENDS_RDA")
if (!nzchar(rda)) stop("set PRETRENDS_RDA to the pretrends repository's data/HeAndWangResults.rda")
load(rda)
x <- HeAndWangResults
cat(jsonlite::toJSON(list(betahat = as.numeric(x$beta), sigma = unname(x$sigma), eventTimes = as.numeric(x$tVec), referencePeriod = -1), digits = NA, auto_unbox = TRUE), "\n")
