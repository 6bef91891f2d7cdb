# Same-run peer: fwildclusterboot's boottest, WCR (impose_null = TRUE), Rademacher, on
# feols(y ~ treat + x1..x10 | city + year), the city FE projected out inside boottest (fe = "city"),
# p-value and confidence interval by test inversion, engine "R", one thread.
# Args: file=<csv> cluster=zone|city B=9999 reps=3 seed=1.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
suppressPackageStartupMessages({ library(fixest); library(fwildclusterboot); library(data.table) })
a <- peer_args(list(cluster = "zone", B = "9999", reps = "3", seed = "1"))
if (is.null(a$file)) stop("wildboot.R: argument file=<csv> is required")
d <- as.data.frame(fread(a$file))
setFixest_nthreads(1)
fit <- feols(as.formula(paste("y ~ treat +", paste(sprintf("x%d", 1:10), collapse = " + "), "| city + year")), data = d)
run <- function() {
  dqrng::dqset.seed(as.integer(a$seed))
  set.seed(as.integer(a$seed))
  boottest(fit, param = "treat", clustid = a$cluster, B = as.integer(a$B), fe = "city", type = "rademacher",
           impose_null = TRUE, p_val_type = "two-tailed", sign_level = 0.05, engine = "R", nthreads = 1)
}
t <- peer_time(run, as.integer(a$reps))
b <- t$value
ci <- b$conf_int
peer_emit(t$seconds, peer_versions(c("fwildclusterboot", "fixest")),
          estimate = c(estimate = unname(coef(fit)[["treat"]]), t_stat = unname(b$t_stat), p_value = unname(b$p_val),
                       ci_low = unname(ci[1]), ci_high = unname(ci[2])), threads = 1L)
