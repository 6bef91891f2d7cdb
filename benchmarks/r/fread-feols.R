# Same-run R peer of the panel-io-process suite: the whole process, Rscript start-up included, that reads
# the suite's CSV with data.table::fread and fits fixest::feols(y ~ d | id + t, cluster = ~id).
# Arguments: file=<csv> threads=<n> reps=<n>. Each rep runs this script again as `mode=child` in a fresh
# Rscript and times it from outside (wall seconds); one unrecorded warm-up first. Estimates: coef and se of d.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
a <- peer_args(list(threads = "2", reps = "3", mode = "parent"))
if (a$mode == "child") {
  suppressPackageStartupMessages({ library(data.table); library(fixest) })
  threads <- as.integer(a$threads)
  setDTthreads(threads)
  setFixest_nthreads(threads)
  m <- feols(y ~ d | id + t, data = fread(a$file), cluster = ~id)
  cat(sprintf("CHILD %.17g %.17g\n", coef(m)[["d"]], se(m)[["d"]]))
  quit(save = "no")
}
self <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
rscript <- file.path(R.home("bin"), "Rscript")
run_child <- function() {
  out <- system2(rscript, c(self, paste0("file=", a$file), paste0("threads=", a$threads), "mode=child"), stdout = TRUE)
  as.numeric(strsplit(sub("^CHILD ", "", grep("^CHILD ", out, value = TRUE)), " ")[[1]])
}
t <- peer_time(run_child, as.integer(a$reps))
peer_emit(I(t$seconds), peer_versions(c("fixest", "data.table")), estimate = c(coef_d = t$value[1], se_d = t$value[2]), threads = as.integer(a$threads))
