# Same-run R peer of the fe-regression suite: fixest::feols on the suite's CSV.
# Arguments: file=<csv> fml=<formula> vcov=iid|cluster:<var> threads=<n> reps=<n>.
# The timing covers feols alone (fread is outside), at fixest's default tolerances; estimates are the coefficients
# plus r_cpu_s_per_call (CPU seconds of one call, for a CPU-time ratio that load disturbs less).
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
a <- peer_args(list(threads = "1", reps = "3", vcov = "iid"))
suppressPackageStartupMessages({ library(fixest); library(data.table) })
threads <- as.integer(a$threads)
setFixest_nthreads(threads)
setDTthreads(threads)
d <- fread(a$file)
fml <- as.formula(a$fml)
vc <- if (startsWith(a$vcov, "cluster:")) as.formula(paste0("~", sub("^cluster:", "", a$vcov))) else a$vcov
reps <- as.integer(a$reps)
# CPU seconds per call (user + system, warm-up included, averaged): steadier than wall time on a loaded machine
cpu0 <- proc.time()
t <- peer_time(function() feols(fml, data = d, vcov = vc, nthreads = threads), reps)
cpu <- proc.time() - cpu0
cpu_per_call <- (cpu[["user.self"]] + cpu[["sys.self"]]) / (reps + 1)
peer_emit(t$seconds, peer_versions(c("fixest", "data.table")), estimate = c(coef(t$value), r_cpu_s_per_call = cpu_per_call), threads = threads)
