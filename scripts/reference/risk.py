"""Reference values for src/domain/risk.test.ts and returns.test.ts.

Uses empyrical-reloaded (the maintained fork of Quantopian's empyrical),
numpy and pandas on vega-datasets' sp500-2000.csv (daily closes) and
stocks.csv (monthly prices), and on a short hand-written series. Prints JSON.

    /tmp/refenv/bin/pip install numpy pandas empyrical-reloaded
    /tmp/refenv/bin/python scripts/reference/risk.py
"""
import json
from importlib.metadata import version

import empyrical as ep
import numpy as np
import pandas as pd

D = "node_modules/vega-datasets/data/"
close = pd.read_csv(D + "sp500-2000.csv")["close"].astype(float)
r = close.pct_change().dropna().to_numpy()
rf_annual = 0.02
rf_p = (1 + rf_annual) ** (1 / 252) - 1

# drawdown peak/trough on wealth starting at 1 before the first return
w = np.concatenate([[1.0], np.cumprod(1 + r)])
peak = np.maximum.accumulate(w)
dd = 1 - w / peak
trough = int(np.argmax(dd))
peak_at = int(np.argmax(w[: trough + 1]))

stocks = pd.read_csv(D + "stocks.csv")
wide = stocks.pivot_table(index="date", columns="symbol", values="price", sort=False)
wide.index = pd.to_datetime(wide.index, format="%b %d %Y")
wide = wide.sort_index()
four = wide[["MSFT", "AMZN", "IBM", "AAPL"]]
bh = (four / four.iloc[0]).mean(axis=1)
daily_rebal = (1 + four.pct_change().iloc[1:].mean(axis=1)).cumprod()
aapl = four["AAPL"].pct_change().dropna().to_numpy()
msft = four["MSFT"].pct_change().dropna().to_numpy()
bench = bh.pct_change().dropna().to_numpy()

# interior missing returns: empyrical counts every period, NaN compounding as 0
gapped = r.copy()
gapped[[1000, 2500, 4000]] = np.nan

small = np.array([0.01, -0.02, 0.015, -0.005, 0.03, -0.01, 0.0, 0.02])
out = {
    "versions": {"empyrical-reloaded": version("empyrical-reloaded"), "numpy": np.__version__, "pandas": pd.__version__},
    "sp500": {
        "n": len(r),
        "cagr": ep.cagr(r, period="daily"),
        "annual_volatility": ep.annual_volatility(r, period="daily"),
        "sharpe_rf0": ep.sharpe_ratio(r, risk_free=0, period="daily"),
        "sharpe_rf2pct": ep.sharpe_ratio(r, risk_free=rf_p, period="daily"),
        "sortino_mar0": ep.sortino_ratio(r, required_return=0, period="daily"),
        "sortino_mar_rf": ep.sortino_ratio(r, required_return=rf_p, period="daily"),
        "max_drawdown": ep.max_drawdown(r),
        "peak_index": peak_at,
        "trough_index": trough,
        "calmar": ep.calmar_ratio(r, period="daily"),
        "var95": float(np.percentile(r, 5)),
        "var99": float(np.percentile(r, 1)),
        "win_rate": float(np.mean(r > 0)),
        "total_return": float(np.prod(1 + r) - 1),
        "cagr_nan_at_1000_2500_4000": ep.cagr(gapped, period="daily"),
    },
    "monthly": {
        "months": len(four),
        "symbols": list(four.columns),
        "aapl_beta_vs_msft": ep.beta(aapl, msft),
        "aapl_corr_vs_msft": float(np.corrcoef(aapl, msft)[0, 1]),
        "aapl_beta_vs_ew": ep.beta(aapl, bench),
        "ew_buy_hold_final": float(bh.iloc[-1]),
        "ew_buy_hold_10": float(bh.iloc[10]),
        "ew_daily_rebalanced_final": float(daily_rebal.iloc[-1]),
        "ew_cagr_monthly": ep.cagr(bench, period="monthly"),
        "ew_sharpe_monthly": ep.sharpe_ratio(bench, period="monthly"),
        "ew_max_drawdown": ep.max_drawdown(bench),
    },
    "small": {
        "returns": small.tolist(),
        "sharpe": ep.sharpe_ratio(small, period="daily"),
        "sortino": ep.sortino_ratio(small, period="daily"),
        "annual_volatility": ep.annual_volatility(small, period="daily"),
        "max_drawdown": ep.max_drawdown(small),
        "var95": float(np.percentile(small, 5)),
        "cagr": ep.cagr(small, period="daily"),
        "first_bar_loss_max_drawdown": ep.max_drawdown(np.array([-0.1, 0.05, 0.02])),
    },
}
print(json.dumps(out, indent=1))
