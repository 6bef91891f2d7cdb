# Minimal peer used by the r-peer test when R is available: times a sum, echoes n.
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
a <- peer_args(list(n = "1000", reps = "3"))
n <- as.integer(a$n)
t <- peer_time(function() sum(seq_len(n)), as.integer(a$reps))
peer_emit(t$seconds, peer_versions(character()), estimate = c(sum = t$value), threads = 1L)
