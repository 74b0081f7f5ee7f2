"""Reference values for src/domain/pairs.test.ts.

statsmodels' coint/adfuller, numpy polyfit and pandas rolling on (1) monthly
MSFT/IBM/AAPL prices from vega-datasets' stocks.csv and (2) a synthetic
cointegrated pair built from mulberry32 uniforms with only +, -, * so the
TypeScript test rebuilds the identical doubles:

    x_0 = 100, x_t = x_{t-1} + (u - 0.5) * 2
    s_0 = 0,   s_t = 0.8 s_{t-1} + (u - 0.5)
    y_t = 10 + 1.5 x_t + s_t            (draws alternate x, s; seed 2024; 500 bars)

    /tmp/refenv/bin/pip install numpy pandas statsmodels
    /tmp/refenv/bin/python scripts/reference/pairs.py
"""
import json
from importlib.metadata import version

import numpy as np
import pandas as pd
from statsmodels.tsa.stattools import adfuller, coint


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def f():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return f


rng = mulberry32(2024)
n = 500
x = np.empty(n)
s = np.empty(n)
x[0], s[0] = 100.0, 0.0
for t in range(1, n):
    x[t] = x[t - 1] + (rng() - 0.5) * 2
    s[t] = 0.8 * s[t - 1] + (rng() - 0.5)
y = 10 + 1.5 * x + s

stocks = pd.read_csv("node_modules/vega-datasets/data/stocks.csv")
msft = stocks[stocks.symbol == "MSFT"].price.to_numpy(float)
ibm = stocks[stocks.symbol == "IBM"].price.to_numpy(float)
aapl = stocks[stocks.symbol == "AAPL"].price.to_numpy(float)


def coint_dict(a, b):
    stat, p, crit = coint(a, b, trend="c", autolag="aic")
    return {"stat": float(stat), "pvalue": float(p), "crit": [float(c) for c in crit]}


def adf_dict(a, **kw):
    r = adfuller(a, autolag="AIC", **kw)
    return {"stat": float(r[0]), "pvalue": float(r[1]), "usedlag": int(r[2]), "nobs": int(r[3]), "crit": r[4]}


beta, alpha = np.polyfit(x, y, 1)
resid = y - alpha - beta * x
z = (pd.Series(resid) - pd.Series(resid).rolling(20).mean()) / pd.Series(resid).rolling(20).std()
lagged = resid[:-1]
dres = np.diff(resid)
b_hl = np.polyfit(lagged, dres, 1)[0]
out = {
    "versions": {"statsmodels": version("statsmodels"), "numpy": np.__version__, "pandas": pd.__version__},
    "synthetic": {
        "y_last": float(y[-1]),
        "x_last": float(x[-1]),
        "beta": float(beta),
        "alpha": float(alpha),
        "coint": coint_dict(y, x),
        "coint_swapped": coint_dict(x, y),
        "z": {i: float(z.iloc[i]) for i in (19, 20, 100, 499)},
        "half_life": float(-np.log(2) / b_hl),
        "adf_c_resid": adf_dict(resid, regression="c"),
    },
    "stocks": {
        "msft_ibm": coint_dict(msft, ibm),
        "adf_aapl_c": adf_dict(aapl, regression="c"),
        "adf_aapl_n": adf_dict(aapl, regression="n"),
        "adf_aapl_c_lag2": {"stat": float(adfuller(aapl, maxlag=2, autolag=None, regression="c")[0])},
    },
}
print(json.dumps(out, indent=1))
