"""Statistics and cell formatting for the bench table."""

import math
import statistics


def median(xs):
    return statistics.median(xs) if xs else None


def percentile(xs, p):
    """Nearest-rank percentile (p in 0..100)."""
    if not xs:
        return None
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def fmt(s, unit="", digits=1, scale=1.0):
    """A summary as "median (min–max)unit"; "–" when there is none."""
    if s is None:
        return "–"
    f = "%%.%df" % digits
    m, lo, hi = (s["median"] * scale, s["min"] * scale, s["max"] * scale)
    return "%s (%s–%s)%s" % (f % m, f % lo, f % hi, unit)
