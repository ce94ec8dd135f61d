# Power against N with its 95% Wilson band, one line per result (base graphics: no dependency).
plot.vtrial_sweep <- function(x, endpoints = x$endpoints[1L], target = NULL, ...) {
  unknown <- setdiff(endpoints, x$endpoints)
  if (length(unknown)) {
    argument_error(sprintf("endpoints: '%s' is not a result of this sweep; it has %s", unknown[1L],
                           paste(x$endpoints, collapse = ", ")), sys.call())
  }
  colours <- c("#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50")
  p <- x$power[x$power$endpoint %in% endpoints, ]
  plot(range(p$patients), c(0, 1), type = "n", xlab = "patients (N)", ylab = "power", ...)
  for (i in seq_along(endpoints)) {
    e <- p[p$endpoint == endpoints[i], ]
    e <- e[order(e$patients), ]
    colour <- colours[(i - 1L) %% length(colours) + 1L]
    polygon(c(e$patients, rev(e$patients)), c(e$ci_low, rev(e$ci_high)), col = paste0(colour, "40"), border = NA)
    lines(e$patients, e$power, col = colour, lwd = 2, type = "b", pch = 19)
  }
  if (!is.null(target)) abline(h = target, lty = 2, col = "grey40")
  legend("bottomright", legend = endpoints, col = colours[(seq_along(endpoints) - 1L) %% length(colours) + 1L],
         lwd = 2, pch = 19, bty = "n")
  invisible(x)
}
