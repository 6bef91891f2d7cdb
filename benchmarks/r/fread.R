# Same-run R peer of the panel-io suite: data.table::fread of the suite's CSV.
# Arguments: file=<csv> threads=<n> reps=<n>. The timing covers fread alone; the estimates are the
# column sums of every numeric column (NA skipped), so both sides are seen to read the same numbers.
# I() keeps one timing (reps=1) a JSON array.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
a <- peer_args(list(threads = "2", reps = "3"))
suppressPackageStartupMessages(library(data.table))
threads <- as.integer(a$threads)
setDTthreads(threads)
t <- peer_time(function() fread(a$file, showProgress = FALSE), as.integer(a$reps))
d <- t$value
numeric_cols <- names(d)[vapply(d, is.numeric, logical(1))]
sums <- vapply(numeric_cols, function(n) sum(as.numeric(d[[n]]), na.rm = TRUE), numeric(1))
names(sums) <- paste0("sum_", numeric_cols)
peer_emit(I(t$seconds), peer_versions("data.table"), estimate = c(rows = nrow(d), sums), threads = threads)
