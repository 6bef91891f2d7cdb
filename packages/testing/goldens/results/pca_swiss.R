# PCA, varimax and factor scores on R's swiss data (47 provinces x 6 indicators), for the
# composite-index outputs (issue 18 item 7). Run from packages/testing/goldens:
#   SCRIPT=results/pca_swiss.R Rscript results/pca_swiss.R
# Writes data/swiss.csv (the input both sides read) and results/pca_swiss.json.
# Sign normalisation (eigenvector signs are arbitrary): every eigenvector column, and every column of
# the retained loadings before rotation, is multiplied by the sign of its column sum (+1 when the
# sum is 0), the convention of psych::principal and of our factorIndex.
suppressMessages(library(psych))
library(jsonlite)
d <- data.frame(province = rownames(swiss), swiss, check.names = FALSE)
write.csv(d, "data/swiss.csv", row.names = FALSE)
x <- as.matrix(read.csv("data/swiss.csv", check.names = FALSE)[, -1])
sgn <- function(m) { s <- sign(colSums(m)); s[s == 0] <- 1; s }
pc <- prcomp(x, scale. = TRUE)
s <- sgn(pc$rotation)
vec <- pc$rotation %*% diag(s)
scores <- pc$x %*% diag(s)
z <- scale(x)
r <- cor(x)
mm <- function(v) (v - min(v)) / (max(v) - min(v))
rows <- function(m) unname(lapply(seq_len(nrow(m)), function(i) unname(m[i, ])))
one <- function(m) {
  L <- vec[, 1:m, drop = FALSE] %*% diag(pc$sdev[1:m], m)
  vm <- varimax(L)  # stats::varimax, normalize = TRUE, eps = 1e-5
  rl <- unclass(vm$loadings)
  coef <- solve(r, rl)
  fs <- z %*% coef
  v <- colSums(rl^2)
  w <- v / sum(v)
  lam <- pc$sdev[1:m]^2
  pw <- lam / sum(lam)
  pp <- principal(x, nfactors = m, rotate = "varimax", scores = TRUE)
  list(nfactors = m,
    loadings = rows(L), rotation = rows(vm$rotmat), rotated_loadings = rows(rl),
    score_coefficients = rows(coef), factor_scores = rows(fs),
    factor_weights = unname(w), index = unname(mm(drop(fs %*% w))),
    pc_weights = unname(pw), pc_index = unname(mm(drop(scores[, 1:m, drop = FALSE] %*% pw))),
    psych = list(loadings = rows(unclass(pp$loadings)), weights = rows(pp$weights), scores = rows(pp$scores),
      rot_mat = rows(pp$rot.mat), values = unname(pp$values)))
}
out <- list(
  meta = list(R = R.version.string, platform = R.version$platform,
    packages = list(stats = as.character(packageVersion("stats")), psych = as.character(packageVersion("psych"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z", tz = "UTC"),
    data = "data/swiss.csv: R datasets::swiss (47 French-speaking Swiss provinces, 1888), all six columns as indicators, rows in R's order",
    description = paste(
      "prcomp(x, scale. = TRUE): sdev, rotation (eigenvectors, rows = indicators) and x (PC scores), each column multiplied by sign(colSums(rotation)) (+1 if 0);",
      "component_loadings = rotation %*% diag(sdev).",
      "Per m in 2, 3: loadings = first m signed eigenvectors x sdev; stats::varimax(loadings) (normalize = TRUE, eps = 1e-5): rotmat, rotated loadings;",
      "regression (Thomson) scores scale(x) %*% solve(cor(x), rotated); composite weights = column sums of squared rotated loadings / their total;",
      "index = min-max of the weighted scores; pc_index = min-max of PC scores 1..m weighted by eigenvalue shares lambda_k / sum(lambda_1..m).",
      "psych = psych::principal(x, nfactors = m, rotate = 'varimax', scores = TRUE) (factors sorted by rotated variance and re-signed: compare up to column order and sign)."),
    script = paste(readLines(Sys.getenv("SCRIPT")), collapse = "\n")),
  n = nrow(x), indicators = colnames(x),
  mean = unname(colMeans(x)), sd = unname(apply(x, 2, sd)),
  eigenvalues = pc$sdev^2, sdev = pc$sdev,
  eigenvectors = rows(vec), component_loadings = rows(vec %*% diag(pc$sdev)), pc_scores = rows(scores),
  factors = list(one(2), one(3)))
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE, null = "null"), "results/pca_swiss.json")
