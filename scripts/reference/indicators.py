"""Reference values for src/domain/indicators/*.test.ts.

Computes TA-Lib's SMA/EMA/RSI/MACD/BBANDS on the close column of
node_modules/vega-datasets/data/sp500-2000.csv and prints the values at a
few indices as JSON, to be pasted into the tests.

    python3 -m venv /tmp/refenv && /tmp/refenv/bin/pip install numpy pandas TA-Lib
    /tmp/refenv/bin/python scripts/reference/indicators.py
"""
import json
import numpy as np
import pandas as pd
import talib

df = pd.read_csv("node_modules/vega-datasets/data/sp500-2000.csv")
close = df["close"].to_numpy(dtype=float)
idx = [0, 13, 14, 19, 25, 32, 33, 49, 199, 1000, 2500, len(close) - 1]


def pick(a):
    return {str(i): (None if np.isnan(a[i]) else float(a[i])) for i in idx}


macd, sig, hist = talib.MACD(close, 12, 26, 9)
up, mid, lo = talib.BBANDS(close, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)
out = {
    "talib": talib.__version__,
    "n": len(close),
    "sma50": pick(talib.SMA(close, 50)),
    "sma200": pick(talib.SMA(close, 200)),
    "ema20": pick(talib.EMA(close, 20)),
    "rsi14": pick(talib.RSI(close, 14)),
    "macd": pick(macd),
    "macdSignal": pick(sig),
    "macdHist": pick(hist),
    "bbUpper": pick(up),
    "bbMiddle": pick(mid),
    "bbLower": pick(lo),
    # first 40 closes and TA-Lib outputs on them: the short hand-checkable case
    "head40": close[:40].tolist(),
    "head40_ema10": [None if np.isnan(v) else float(v) for v in talib.EMA(close[:40], 10)],
    "head40_rsi14": [None if np.isnan(v) else float(v) for v in talib.RSI(close[:40], 14)],
}
print(json.dumps(out, indent=1))
