"""Reference values for src/domain/symbol-analysis.test.ts.

An independent pandas implementation of the fan-out kernel's rules on a short
written-down series (bar-to-bar % change, change / SPX change with 0/0 -> 1
and clip to [-3, 3], thresholds 0.5 VIX / 15, buy/sell/hold, next-bar quality).

    /tmp/refenv/bin/python scripts/reference/symbol_analysis.py
"""
import json

import numpy as np
import pandas as pd

df = pd.DataFrame(
    {
        "price": [100, 101, 101, 99, 99, 102, 100, 99, 101.5, 100],
        "spx": [4000, 4040, 4040, 4000, 4000, 4000, 4040, 4020, 4060, 4060],
        "vix": [15, 15, 30, 15, 15, 15, 15, 15, 45, 15],
    },
    dtype=float,
)
chg = df.price.pct_change() * 100
spx = df.spx.pct_change() * 100
with np.errstate(divide="ignore", invalid="ignore"):
    beta = (chg / spx).replace([np.inf, -np.inf], np.nan)
# x/0 with x != 0 is +-inf before the clip: restore the sign, then clip
beta = np.where(np.isinf(chg / spx), np.sign(chg) * 3, beta)
beta = pd.Series(beta).fillna(1.0).clip(-3, 3)
beta.iloc[0] = np.nan
buy = 0.5 * df.vix / 15
signal = np.select([chg > buy, chg < -buy], [1, -1], 0)
nxt = chg.shift(-1)
quality = np.select([(signal != 0) & (signal * nxt > 0), (signal != 0) & (signal * nxt < 0)], [1, -1], 0)
total = int((signal != 0).sum())
good = int((quality == 1).sum())
out = {
    "pandas": pd.__version__,
    "priceChangePct": [None if np.isnan(v) else float(v) for v in chg],
    "spxChangePct": [None if np.isnan(v) else float(v) for v in spx],
    "beta": [None if np.isnan(v) else float(v) for v in beta],
    "buyThreshold": buy.tolist(),
    "signal": signal.tolist(),
    "quality": quality.tolist(),
    "summary": {
        "totalTrades": total,
        "goodTrades": good,
        "badTrades": int((quality == -1).sum()),
        "successRate": good / total * 100,
        "avgBeta": float(beta.iloc[1:].mean()),
        "avgVix": float(df.vix.mean()),
    },
}
print(json.dumps(out))
