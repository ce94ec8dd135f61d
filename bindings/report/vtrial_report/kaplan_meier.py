"""The Kaplan-Meier product-limit curve of exported patients, for drawing; the median follows R's
survfit (the first time the curve is below 0.5, or midway to the next drop where it sits at
exactly 0.5), so a curve of trial 0 can be set beside that trial's /trials values."""
import math

import numpy as np

_TOLERANCE = 1.4901161193847656e-08  # sqrt(.Machine$double.eps), as R compares with 0.5


def curve(time_days, event):
    """(times, survival, at_risk, events): the curve's value just after each distinct time that
    has an event, starting from (0, 1)."""
    t = np.asarray(time_days, dtype=float)
    e = np.asarray(event).astype(bool)
    keep = ~np.isnan(t)
    t, e = t[keep], e[keep]
    ordered = np.sort(t)
    # Sorted, so that thousands of exported patients with distinct times cost n log n.
    u, d = np.unique(t[e], return_counts=True)
    n = len(t) - np.searchsorted(ordered, u, side="left")
    s = np.cumprod(1.0 - d / n)
    return (np.concatenate([[0.0], u]), np.concatenate([[1.0], s]), np.concatenate([[len(t)], n]),
            np.concatenate([[0], d]))


def at(times, survival, day):
    """S(day) of a step curve (right-continuous)."""
    i = int(np.searchsorted(times, day, side="right")) - 1
    return float(survival[max(i, 0)])


def median(times, survival):
    first = None
    for t, y in zip(times, survival):
        if first is None:
            if y < 0.5 + _TOLERANCE:
                if abs(y - 0.5) >= _TOLERANCE:
                    return float(t)
                first = (t, y)
        elif y < first[1]:
            return 0.5 * (first[0] + t)
    return float(first[0]) if first else math.nan
