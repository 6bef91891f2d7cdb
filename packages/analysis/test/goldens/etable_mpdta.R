# fixest::etable of two models on did::mpdta: the numbers and layout the etable export is compared with.
# Run: RPEERS_LIB=<peers library> Rscript etable_mpdta.R > etable_mpdta.json
.libPaths(c(Sys.getenv("RPEERS_LIB"), .libPaths()))
suppressPackageStartupMessages({ library(fixest); library(did); library(jsonlite) })
# fixest etable's default significance codes (its signif.code argument)
signif <- c("***" = 0.001, "**" = 0.01, "*" = 0.05)
data(mpdta, package = "did")
m1 <- feols(lemp ~ treat | year, data = mpdta, cluster = ~countyreal)
m2 <- feols(lemp ~ lpop, data = mpdta, vcov = "iid")
model <- function(m) {
  ct <- coeftable(m)
  list(
    terms = rownames(ct), estimate = unname(ct[, 1]), std_error = unname(ct[, 2]), p_value = unname(ct[, 4]),
    nobs = nobs(m), r2 = unname(r2(m, "r2")), within_r2 = if (length(m$fixef_vars)) unname(r2(m, "wr2")) else NULL
  )
}
tab <- etable(m1, m2, digits = 3, digits.stats = 5, signif.code = signif)
cat(toJSON(list(
  provenance = list(package = "fixest", version = as.character(packageVersion("fixest")), R = R.version.string,
                    call = "etable(feols(lemp ~ treat | year, mpdta, cluster = ~countyreal), feols(lemp ~ lpop, mpdta, vcov = 'iid'), digits = 3, digits.stats = 5)",
                    data = paste0("did::mpdta (did ", packageVersion("did"), ")")),
  signif_code = as.list(signif),
  models = list(model(m1), model(m2)),
  table = list(rownames = tab[[1]], col1 = tab[[2]], col2 = tab[[3]])
), auto_unbox = TRUE, digits = NA, pretty = TRUE))
cat("\n")
