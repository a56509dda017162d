"""Computes the experiment statistics with scipy for the C# tests to compare with.

Reads {"normal": [z...], "t": [[t, dof]...], "beta": [[a, b, x]...], "z": [[s1, n1, s2, n2]...],
"welch": [[m1, v1, n1, m2, v2, n2]...], "chi2": [table...]} from stdin; writes the same keys with results.
"""
import json
import sys

import numpy as np
from scipy import special, stats

case = json.load(sys.stdin)
out = {
    "normal": [float(stats.norm.cdf(z)) for z in case["normal"]],
    "normal_two_sided": [float(2 * stats.norm.sf(abs(z))) for z in case["normal"]],
    "t": [float(stats.t.cdf(t, dof)) for t, dof in case["t"]],
    "t_two_sided": [float(2 * stats.t.sf(abs(t), dof)) for t, dof in case["t"]],
    "beta": [float(special.betainc(a, b, x)) for a, b, x in case["beta"]],
    "z": [],
    "welch": [],
    "chi2": [],
}
for s1, n1, s2, n2 in case["z"]:
    p1, p2, p = s1 / n1, s2 / n2, (s1 + s2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    out["z"].append({"statistic": float(z), "pvalue": float(2 * stats.norm.sf(abs(z)))})
for m1, v1, n1, m2, v2, n2 in case["welch"]:
    r = stats.ttest_ind_from_stats(m1, np.sqrt(v1), n1, m2, np.sqrt(v2), n2, equal_var=False)
    a, b = v1 / n1, v2 / n2
    dof = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    out["welch"].append({"statistic": float(r.statistic), "pvalue": float(r.pvalue), "dof": float(dof)})
for table in case["chi2"]:
    t = np.asarray(table, dtype=float)
    t = t[:, t.sum(axis=0) > 0]
    stat, p, dof, _ = stats.chi2_contingency(t, correction=False)
    out["chi2"].append({"statistic": float(stat), "pvalue": float(p), "dof": int(dof)})
json.dump(out, sys.stdout)
