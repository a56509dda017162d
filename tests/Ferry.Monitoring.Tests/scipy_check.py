"""Computes the drift statistics with scipy for the C# tests to compare with.

Reads JSON cases from stdin: {"name", "points", "reference", "current", "std"} with counts per point;
writes JSON results to stdout. The samples are the points repeated by their counts.
"""
import json
import sys

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import chisquare, ks_2samp, kstwobign, wasserstein_distance

results = []
for case in json.load(sys.stdin):
    points = np.asarray(case["points"], dtype=float)
    ref = np.asarray(case["reference"], dtype=float)
    cur = np.asarray(case["current"], dtype=float)
    out = {"name": case["name"]}
    if case["kind"] == "numeric":
        a = np.repeat(points, ref.astype(int))
        b = np.repeat(points, cur.astype(int))
        d = ks_2samp(a, b).statistic
        n, m = len(a), len(b)
        out["ks_statistic"] = float(d)
        out["ks_pvalue_asymptotic"] = float(kstwobign.sf(np.sqrt(n * m / (n + m)) * d))
        out["wasserstein"] = float(wasserstein_distance(points, points, ref, cur))
        out["wasserstein_samples"] = float(wasserstein_distance(a, b))
    else:
        keep = (ref > 0) | (cur > 0)
        expected = ref[keep] / ref.sum() * cur.sum()
        stat, p = chisquare(cur[keep], expected)
        out["chisquare_statistic"] = float(stat)
        out["chisquare_pvalue"] = float(p)
    out["jensenshannon"] = float(jensenshannon(ref, cur))
    results.append(out)
json.dump(results, sys.stdout)
