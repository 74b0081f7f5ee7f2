"""Reference values for src/domain/screening.test.ts.

pandas/scipy on the close column of vega-datasets' sp500-2000.csv: momentum
over 10/21/63/126/252 bars, volatility, Sharpe and max drawdown of the last
252 daily returns; scipy.stats.zscore (ddof 0) of a short vector.

    /tmp/refenv/bin/python scripts/reference/screening.py
"""
import json

import numpy as np
import pandas as pd
from scipy import __version__ as scipy_version
from scipy.stats import zscore

close = pd.read_csv("node_modules/vega-datasets/data/sp500-2000.csv")["close"].astype(float)
r = close.pct_change().iloc[-252:]
w = np.concatenate([[1.0], np.cumprod(1 + r.to_numpy())])
out = {
    "versions": {"pandas": pd.__version__, "scipy": scipy_version},
    "momentum": {h: float(close.iloc[-1] / close.iloc[-1 - h] - 1) for h in (10, 21, 63, 126, 252)},
    "volatility252": float(r.std(ddof=1) * np.sqrt(252)),
    "sharpe252": float(r.mean() / r.std(ddof=1) * np.sqrt(252)),
    "maxdd252": float((1 - w / np.maximum.accumulate(w)).max()),
    "zscore": zscore(np.array([3.0, 7.0, 1.0, 9.0, 5.0, 2.0])).tolist(),
}
print(json.dumps(out, indent=1))
