# Space x time Conley HAC (Conley 1999; Hsiang 2010's ols_spatial_HAC definition) on a panel of ours,
# computed DENSELY in base R from the formula (no R package implements it with fixed effects here:
# fixest's vcov_conley has no time dimension; conleyreg is not in Debian nor in shared/peers).
# Run from packages/testing/goldens: R_LIBS=$RPEERS_LIB Rscript results/conley_spacetime_cities.R
# Writes results/conley_spacetime_cities.json (17 significant digits).
#
# Definition (scores s_i = x~_i e_i, x~ the FE-demeaned regressors, e the residuals):
#   meat = sum_{i,j: t_i = t_j, d_ij <= c} K(d_ij) s_i s_j'                        (space, same period, i = j included)
#        + sum_{i != j: unit_i = unit_j, 1 <= |t_i - t_j| <= L} (1 - |t_i - t_j| / (L + 1)) s_i s_j'   (time, Bartlett)
#   V = B meat B, B = (X~'X~)^-1, no small-sample factor (Hsiang's); the library multiplies by n / (n - K)
#   under ssc kAdj as for fixest's Conley, so the test compares with kAdj = false.
#   K(d) = 1 (uniform) or 1 - d / c (Bartlett). Distances: 'spherical' = 12752 asin(sqrt(hav)) km
#   (fixest's great circle, R = 6376 km); 'triangular' = fixest's equirectangular rule, with its
#   pi = 3.14159 in the cut-off and 111 km per degree (see conley_cities.json).
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })

d <- read.csv("data/cities_panel.csv")
fit <- feols(y ~ D + x | city_code + year, data = d)
X <- as.matrix(demean(d[, c("D", "x")], d[, c("city_code", "year")], tol = 1e-13))
e <- resid(fit)
B <- solve(crossprod(X))
S <- X * e
n <- nrow(X)
rad <- pi / 180
lat <- d$lat * rad; lon <- d$lon * rad
dlat <- abs(outer(lat, lat, "-"))
dlon <- abs(outer(lon, lon, "-")); dlon <- ifelse(dlon < 3.14159, dlon, 2 * 3.14159 - dlon)
hav <- sin(dlat / 2)^2 + outer(cos(lat), cos(lat)) * sin(dlon / 2)^2
dsph <- 12752 * asin(pmin(1, sqrt(hav)))
cosmean <- cos(outer(lat, lat, "+") / 2)
same_t <- outer(d$year, d$year, "==")
same_u <- outer(d$city_code, d$city_code, "==")
lagm <- abs(outer(d$year, d$year, "-"))

weights_space <- function(cut, distance, kernel) {
  if (distance == "spherical") {
    inside <- dsph <= cut; dkm <- dsph
  } else {
    latcut <- cut / 111 * 3.14159 / 180
    d2 <- dlat^2 + (cosmean * dlon)^2
    inside <- dlat <= latcut & dlon <= latcut / cosmean & d2 <= latcut^2
    dkm <- sqrt(d2 / latcut^2) * cut
  }
  w <- if (kernel == "bartlett") pmax(0, 1 - dkm / cut) else matrix(1, n, n)
  w * (inside & same_t)
}
weights_time <- function(L) ifelse(same_u & lagm >= 1 & lagm <= L, 1 - lagm / (L + 1), 0)

cases <- list()
for (cut in c(100, 300)) for (distance in c("spherical", "triangular")) for (kernel in c("uniform", "bartlett")) for (L in c(0, 2, 8)) {
  W <- weights_space(cut, distance, kernel) + weights_time(L)
  meat <- crossprod(S, W %*% S)
  V <- B %*% meat %*% B
  key <- sprintf("c%d_%s_%s_L%d", cut, distance, kernel, L)
  cases[[key]] <- list(cutoff_km = cut, distance = distance, kernel = kernel, lag = L,
                       vcov = unname(V), se = unname(sqrt(diag(V))))
}
res <- list(
  meta = list(
    R = R.version.string, packages = list(fixest = as.character(packageVersion("fixest"))),
    generated = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    data = "packages/testing/goldens/data/cities_panel.csv",
    script = "packages/testing/goldens/results/conley_spacetime_cities.R",
    description = paste(
      "Space x time Conley HAC computed densely from the formula in base R (n x n weight matrices):",
      "spatial kernel within the same year plus within-city serial correlation with Bartlett lag weights 1 - l/(L+1) (Hsiang 2010 ols_spatial_HAC; Conley 1999).",
      "fixest 0.14.2 only fits the TWFE model y ~ D + x | city_code + year and demeans D and x (fixest::demean, tol 1e-13).",
      "V = B meat B without small-sample factor. See the script header for the exact definition.")),
  formula = "y ~ D + x | city_code + year", coef = unname(coef(fit)), n = n,
  cases = cases)
writeLines(toJSON(res, auto_unbox = TRUE, digits = I(17), pretty = TRUE), "results/conley_spacetime_cities.json")
