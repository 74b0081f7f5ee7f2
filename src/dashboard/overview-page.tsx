/**
 * Overview: one book at a glance (the daily pipeline's paper book, or an
 * execution book: the live strategies' or a replayed day's), switched with a
 * button group. Its equity curve with the drawdown below it, value, cash,
 * P&L of the day, month and year, exposure by sector and its latest alerts,
 * from GET /api/overview. A figure the book does not have shows "–".
 */
import { useMemo, useState } from 'preact/hooks';
import { money, pct, signedMoney } from './format';
import { ButtonGroup } from './button-group';
import { LoadError, useApi, type PageProps } from './page';
import { TimeChart, type ChartSeries } from './time-chart';

type BookKind = 'pipeline' | 'live' | 'replay' | 'service';

interface BookChoice {
  id: string;
  label: string;
  kind: BookKind;
}

interface OverviewWire {
  book: string;
  label: string;
  kind: BookKind;
  as_of: string | null;
  curve: {
    interval: 'day' | 'intraday';
    basis: 'equity' | 'pnl';
    points: { time: string | number; equity: number; drawdown: number | null }[];
  };
  total_value: number | null;
  cash: number | null;
  positions_value: number | null;
  pnl: {
    date: string | null;
    day: number | null;
    mtd: number | null;
    ytd: number | null;
    day_return: number | null;
    mtd_return: number | null;
    ytd_return: number | null;
  };
  sectors: { sector: string; value: number; weight: number; positions: number }[];
  alerts: { at: string; severity: 'info' | 'warning' | 'critical'; source: string; message: string }[];
  notes: string[];
}

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * An instant as New York wall-clock seconds "as if UTC": the chart's time
 * axis prints UTC, and a trading day reads in exchange time (09:30-16:00).
 */
function newYorkChartTime(ms: number): number {
  const p = Object.fromEntries(NEW_YORK.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) / 1000;
}

/** '2025-03-14T20:00:00.000Z' -> '2025-03-14 16:00 New York'; a date stays as it is. */
function asOfText(asOf: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return asOf;
  const iso = new Date(newYorkChartTime(Date.parse(asOf)) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} New York`;
}

const signed = (v: number | null) => (v == null ? '–' : signedMoney(v));
const tone = (v: number | null) => (v == null || v === 0 ? undefined : v < 0 ? 'neg' : 'pos');

export function OverviewPage(p: PageProps) {
  const books = useApi<{ books: BookChoice[] }>(p, '/api/overview/books');
  const [chosen, setChosen] = useState<string | null>(null);
  const book = chosen ?? books.data?.books[0]?.id ?? null;
  const view = useApi<OverviewWire>(p, book ? `/api/overview?book=${encodeURIComponent(book)}` : null);
  // The previous book's figures stay in `data` until the next answer: show them only as the book they are.
  const data = view.data && view.data.book === book ? view.data : null;

  return (
    <>
      <div class="page-head ov-head">
        <h1>Overview</h1>
        {books.data && books.data.books.length > 0 && (
          <ButtonGroup
            label="Book"
            options={books.data.books.map((b) => ({ value: b.id, label: b.label }))}
            value={book}
            onChange={setChosen}
          />
        )}
      </div>
      <LoadError error={books.error ?? view.error} />
      {books.data?.books.length === 0 && <p class="empty">No book has data yet: run the daily pipeline or the strategies first.</p>}
      {book && !data && !view.error && (
        <p class="empty" aria-busy="true">
          Loading…
        </p>
      )}
      {data && <BookView o={data} />}
    </>
  );
}

function BookView({ o }: { o: OverviewWire }) {
  const series = useMemo(() => chartSeries(o), [o]);
  const hasDrawdown = o.curve.points.some((x) => x.drawdown != null);
  const what = o.curve.basis === 'equity' ? 'Equity' : 'P&L';
  // Bars are scaled to the largest exposure (its share is written beside it), so small books still show them.
  const widest = Math.max(1e-9, ...o.sectors.map((s) => Math.abs(s.weight)));
  return (
    <div id="overview" data-book={o.book}>
      <p class="ov-asof">
        {o.label}
        {o.as_of ? ` · as of ${asOfText(o.as_of)}` : ' · no figures yet'}
      </p>
      <dl class="ov-figures">
        <div>
          <dt>Total value</dt>
          <dd id="ov-total">{money(o.total_value)}</dd>
        </div>
        <div>
          <dt>Cash</dt>
          <dd id="ov-cash">{money(o.cash)}</dd>
        </div>
        <Pnl id="ov-pnl-day" label={o.pnl.date ? `P&L ${o.pnl.date}` : 'P&L of the day'} value={o.pnl.day} ret={o.pnl.day_return} />
        <Pnl id="ov-pnl-mtd" label="Month to date" value={o.pnl.mtd} ret={o.pnl.mtd_return} />
        <Pnl id="ov-pnl-ytd" label="Year to date" value={o.pnl.ytd} ret={o.pnl.ytd_return} />
      </dl>

      <h2>{hasDrawdown ? `${what} and drawdown` : what}</h2>
      {o.curve.points.length > 0 ? (
        <TimeChart
          key={o.book}
          id="ov-chart"
          series={series}
          paneStretch={[3, 1]}
          height={380}
          label={`${what} curve of ${o.label}${hasDrawdown ? ', with its drawdown from the running peak (in percent) below it' : ''}${
            o.curve.interval === 'intraday' ? ', at New York time' : ''
          }`}
        />
      ) : (
        <p class="empty">No curve yet: the book has no marks.</p>
      )}

      <div class="ov-columns">
        <section aria-labelledby="ov-sectors-head">
          <h2 id="ov-sectors-head">Exposure by sector</h2>
          <div class="table-wrap">
            {o.sectors.length === 0 ? (
              <p class="empty">No positions.</p>
            ) : (
              <table id="ov-sectors">
                <thead>
                  <tr>
                    <th scope="col">Sector</th>
                    <th scope="col" class="num">
                      Value
                    </th>
                    <th scope="col" class="num">
                      Share
                    </th>
                    <th scope="col">
                      <span class="sr-only">Share as a bar</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {o.sectors.map((s) => (
                    <tr key={s.sector} data-sector={s.sector}>
                      <th scope="row">{s.sector}</th>
                      <td class={`num ${s.value < 0 ? 'neg' : ''}`}>{money(s.value)}</td>
                      <td class="num">{pct(s.weight)}</td>
                      <td class="ov-bar-cell" aria-hidden="true">
                        <span class={`ov-bar ${s.value < 0 ? 'short' : ''}`} style={{ width: `${(100 * Math.abs(s.weight)) / widest}%` }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
                {o.cash != null && o.total_value != null && o.total_value > 0 && (
                  <tfoot>
                    <tr>
                      <th scope="row">Cash</th>
                      <td class="num">{money(o.cash)}</td>
                      <td class="num">{pct(o.cash / o.total_value)}</td>
                      <td />
                    </tr>
                  </tfoot>
                )}
              </table>
            )}
          </div>
        </section>

        <section aria-labelledby="ov-alerts-head">
          <h2 id="ov-alerts-head">Latest alerts</h2>
          {o.alerts.length === 0 ? (
            <p class="empty ov-card">No alerts.</p>
          ) : (
            <ul id="ov-alerts" class="ov-alerts ov-card">
              {o.alerts.map((a, i) => (
                <li key={i} data-severity={a.severity}>
                  <span class={`ov-sev ${a.severity}`}>{a.severity}</span> {a.message}
                  <span class="ov-source">
                    {asOfText(a.at)} · {a.source}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {o.notes.length > 0 && (
        <ul class="hint ov-notes">
          {o.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Pnl(p: { id: string; label: string; value: number | null; ret: number | null }) {
  return (
    <div>
      <dt>{p.label}</dt>
      <dd>
        <span id={p.id} class={tone(p.value)}>
          {signed(p.value)}
        </span>
        {p.ret != null && <span class="ov-ret">{pct(p.ret)}</span>}
      </dd>
    </div>
  );
}

/** Equity (an area) in the top pane, the drawdown in percent (a line) in the pane below when the book has one. */
function chartSeries(o: OverviewWire): ChartSeries[] {
  const time = (t: string | number) => (typeof t === 'number' ? newYorkChartTime(t) : t);
  const equity: ChartSeries = {
    kind: 'area',
    pane: 0,
    title: o.curve.basis === 'equity' ? 'Equity' : 'P&L',
    data: o.curve.points.map((x) => ({ time: time(x.time), value: x.equity })),
  };
  const under = o.curve.points.filter((x) => x.drawdown != null);
  if (under.length === 0) return [equity];
  return [
    equity,
    {
      kind: 'line',
      pane: 1,
      title: 'Drawdown',
      color: '#a40e26',
      format: 'percent',
      data: under.map((x) => ({ time: time(x.time), value: x.drawdown! * 100 })),
    },
  ];
}
