-- Intraday strategies (issue 14): the hot store of 1-, 5- and 15-minute bars
-- that the strategy cycles read (the cold store is Parquet under
-- intraday/source=<provider>/year=/month=/day=/bars_<interval>.parquet).
-- `ts` is the bar's start; a bar is closed at ts + interval.
--
-- The key is (symbol, interval, ts), without `source`: a strategy reads the
-- bars of a symbol, and two providers' prices for one instant would make
-- every reader choose between them. As in market_data, the last provider to
-- write a bar wins and `source` records which one it was; the Parquet
-- partitions keep each source's files apart for provenance. Every write is
-- an upsert on the key, so a retried fetch writes nothing twice.
--
-- Reads are by time range: the key serves "these symbols, one interval,
-- [from, to)"; the (interval, ts) index serves a whole session, the latest
-- bar of an interval, and the retention clean-up (each interval, ts < cutoff).
-- Prices are not constrained here: bars are validated before they are
-- stored (src/domain/intraday-validation.ts).

CREATE TABLE intraday_bars (
  symbol      TEXT NOT NULL,
  interval    TEXT NOT NULL CHECK (interval IN ('1m', '5m', '15m')),
  ts          TIMESTAMPTZ NOT NULL,
  open        DOUBLE PRECISION NOT NULL,
  high        DOUBLE PRECISION NOT NULL,
  low         DOUBLE PRECISION NOT NULL,
  close       DOUBLE PRECISION NOT NULL,
  volume      BIGINT NOT NULL,
  source      TEXT NOT NULL,
  ingested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (symbol, interval, ts)
);
CREATE INDEX intraday_bars_interval_ts ON intraday_bars (interval, ts);
