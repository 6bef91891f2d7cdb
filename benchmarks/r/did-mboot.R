# Same-run peer: R did's att_gt with the multiplier bootstrap (bstrap = TRUE, cband = TRUE), never-treated
# controls, doubly robust, no covariates, on the panel CSV the TypeScript suite wrote (columns id, t, g, y).
# Args: file=<csv> biters=1000 reps=3 boot=TRUE faster_mode=FALSE. Times the whole att_gt call (estimation +
# bootstrap). faster_mode stays off by default: on these panels did 2.3.0's faster_mode returned other
# ATT(g,t) than its default path (and than ours, which match the default path to 1e-13).
local({ f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)); source(file.path(dirname(f), "peer-common.R")) })
suppressPackageStartupMessages({ library(did); library(data.table) })
a <- peer_args(list(biters = "1000", reps = "3", boot = "TRUE", seed = "1", faster_mode = "FALSE"))
if (is.null(a$file)) stop("did-mboot.R: argument file=<csv> is required")
d <- as.data.frame(fread(a$file))
boot <- as.logical(a$boot)
run <- function() {
  set.seed(as.integer(a$seed))
  att_gt(yname = "y", tname = "t", idname = "id", gname = "g", data = d, control_group = "nevertreated",
         est_method = "dr", bstrap = boot, biters = as.integer(a$biters), cband = boot, print_details = FALSE,
         faster_mode = as.logical(a$faster_mode))
}
t <- peer_time(run, as.integer(a$reps))
r <- t$value
est <- setNames(r$att, sprintf("att_%d_%d", r$group, r$t))
est[["crit_val"]] <- r$c
peer_emit(t$seconds, peer_versions(c("did", "data.table")), estimate = est, threads = 1L)
