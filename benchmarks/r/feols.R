# Same-run R peer of the fe-regression suite: fixest::feols on the suite's CSV.
# Arguments: file=<csv> fml=<formula> vcov=iid|cluster:<var> threads=<n> reps=<n>.
# The timing covers feols alone (fread is outside), at fixest's default tolerances; estimates are the coefficients.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
a <- peer_args(list(threads = "1", reps = "3", vcov = "iid"))
suppressPackageStartupMessages({ library(fixest); library(data.table) })
threads <- as.integer(a$threads)
setFixest_nthreads(threads)
setDTthreads(threads)
d <- fread(a$file)
fml <- as.formula(a$fml)
vc <- if (startsWith(a$vcov, "cluster:")) as.formula(paste0("~", sub("^cluster:", "", a$vcov))) else a$vcov
t <- peer_time(function() feols(fml, data = d, vcov = vc, nthreads = threads), as.integer(a$reps))
peer_emit(t$seconds, peer_versions(c("fixest", "data.table")), estimate = coef(t$value), threads = threads)
