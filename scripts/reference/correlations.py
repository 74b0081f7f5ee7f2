"""Reference values for src/domain/correlations.test.ts: Pearson correlation
(Python's statistics.correlation) of simple daily returns over the last 60
shared dates. Closes follow the formulas the test uses; C has no bar on days
divisible by 7. Run: python3 scripts/reference/correlations.py"""
import math
from datetime import date, timedelta
from statistics import correlation

days = [date(2026, 1, 1) + timedelta(days=t) for t in range(90)]
A = {d: 100 + 10 * math.sin(t / 3) + 0.1 * t for t, d in enumerate(days)}
B = {d: 50 + 3 * math.cos(t / 5) + 0.02 * t * t / 10 for t, d in enumerate(days)}
C = {d: 20 + (t % 5) - 0.05 * t for t, d in enumerate(days) if t % 7 != 0}

def rets(series):
    ds = sorted(series)
    return {ds[i]: series[ds[i]] / series[ds[i - 1]] - 1 for i in range(1, len(ds))}

R = {"A": rets(A), "B": rets(B), "C": rets(C)}
for a, b in [("A", "B"), ("A", "C"), ("B", "C")]:
    shared = sorted(set(R[a]) & set(R[b]))[-60:]
    print(a, b, len(shared), repr(correlation([R[a][d] for d in shared], [R[b][d] for d in shared])))
