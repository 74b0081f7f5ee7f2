/**
 * The marks of the Market page: what the API calls a marker (a strategy or
 * pipeline signal, a model signal, one of our fills), how each is drawn on
 * the chart, its legend, and the table that lists them (a canvas says
 * nothing to a screen reader).
 */
import { count, money } from './format';
import type { ChartMarker, ChartTime } from './time-chart';

export interface Marker {
  time: ChartTime;
  at: string;
  kind: 'signal' | 'model' | 'fill';
  side: 'buy' | 'sell';
  source: string;
  label: string;
  qty: number | null;
  price: number | null;
  status: string | null;
}

/** What a mark is, for the layer toggles: rejected intraday signals are their own layer (off by default: noise). */
export type Layer = 'signal' | 'rejected' | 'model' | 'fill';

export const layerOf = (m: Marker): Layer => (m.kind === 'signal' && m.status === 'rejected' ? 'rejected' : m.kind);

/** When a mark happened, in the exchange's zone (the chart's axis reads the same clock). */
function markTime(at: string, tz: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return at;
  return new Date(at).toLocaleString('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' });
}

export const COLORS = {
  buy: '#116329',
  sell: '#a40e26',
  model: '#0550ae',
  rejected: '#8c959f',
  upVolume: 'rgba(17, 99, 41, 0.45)',
  downVolume: 'rgba(164, 14, 38, 0.45)',
};

/** Signals are arrows by the bar, model signals circles, fills squares at the price they filled at. */
export function chartMarker(m: Marker): ChartMarker {
  const buy = m.side === 'buy';
  if (m.kind === 'fill')
    return {
      time: m.time,
      position: m.price != null ? 'atPriceMiddle' : buy ? 'belowBar' : 'aboveBar',
      price: m.price ?? undefined,
      shape: 'square',
      color: buy ? COLORS.buy : COLORS.sell,
      text: `${buy ? 'B' : 'S'} ${m.qty != null ? count(m.qty) : ''}`.trim(),
    };
  if (m.kind === 'model') return { time: m.time, position: buy ? 'belowBar' : 'aboveBar', shape: 'circle', color: COLORS.model, size: 0.8 };
  const rejected = m.status === 'rejected';
  return {
    time: m.time,
    position: buy ? 'belowBar' : 'aboveBar',
    shape: buy ? 'arrowUp' : 'arrowDown',
    color: rejected ? COLORS.rejected : buy ? COLORS.buy : COLORS.sell,
    size: rejected ? 0.6 : 1,
  };
}

export function Legend() {
  return (
    <ul class="market-legend" aria-label="Marks">
      <li>
        <span class="mark buy" aria-hidden="true">
          ▲
        </span>{' '}
        buy signal
      </li>
      <li>
        <span class="mark sell" aria-hidden="true">
          ▼
        </span>{' '}
        sell signal
      </li>
      <li>
        <span class="mark rejected" aria-hidden="true">
          ▲
        </span>{' '}
        rejected signal
      </li>
      <li>
        <span class="mark model" aria-hidden="true">
          ●
        </span>{' '}
        model signal
      </li>
      <li>
        <span class="mark buy" aria-hidden="true">
          ■
        </span>{' '}
        our fill, at its price (B buy, S sell)
      </li>
    </ul>
  );
}

const KIND_LABELS: Record<Marker['kind'], string> = { signal: 'Signal', model: 'Model signal', fill: 'Fill' };

export function MarksTable({ marks, tz }: { marks: Marker[]; tz: string }) {
  return (
    <section aria-labelledby="market-marks-title">
      <h2 id="market-marks-title">Signals and fills on the chart</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="market-marks-title">
        <table id="market-marks">
          <thead>
            <tr>
              <th scope="col">When ({tz})</th>
              <th scope="col">What</th>
              <th scope="col">Side</th>
              <th scope="col">From</th>
              <th scope="col">Detail</th>
              <th scope="col" class="num">
                Qty
              </th>
              <th scope="col" class="num">
                Price
              </th>
            </tr>
          </thead>
          <tbody>
            {marks.map((m, i) => (
              <tr key={i} data-kind={m.kind}>
                <td>{markTime(m.at, tz)}</td>
                <td>
                  {KIND_LABELS[m.kind]}
                  {m.status ? ` (${m.status})` : ''}
                </td>
                <td class={m.side}>{m.side}</td>
                <td>{m.source}</td>
                <td>{m.label}</td>
                <td class="num">{m.qty != null ? count(m.qty) : '–'}</td>
                <td class="num">{money(m.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {marks.length === 0 && <p class="empty">No signals or fills on these bars.</p>}
      </div>
    </section>
  );
}
