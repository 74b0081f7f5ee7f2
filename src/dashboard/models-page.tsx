/**
 * Models: the latest ranking of the model versions (GET /api/models, the
 * `performance` workflow's stored ranking), underperformers flagged with
 * their reason, a link to each version's MLflow experiment when MLflow is
 * configured, and the versions' cumulative-return curves against an
 * equal-weight buy and hold of the universe (all at once, or one picked in
 * the button group).
 */
import { useMemo, useState } from 'preact/hooks';
import { ButtonGroup } from './button-group';
import { LoadError, useApi, type PageProps } from './page';
import { count, money, pct } from './format';
import { TimeChart, type ChartSeries } from './time-chart';

/** One ranked version, as GET /api/models sends it. */
export interface RankedVersion {
  rank: number;
  model_id: number;
  name: string;
  version: number;
  label: string;
  kind: string | null;
  status: string | null;
  sharpe: number | null;
  total_return: number | null;
  /** A positive fraction below the peak. */
  max_drawdown: number | null;
  signals: number;
  top_performer: boolean;
  underperforming: string | null;
  mlflow_url: string | null;
}

export interface ModelsView {
  date: string | null;
  score: string | null;
  rankings: RankedVersion[];
  alerts: string[];
  mlflow_configured: boolean;
  curves: {
    dates: string[];
    /** Cumulative returns as fractions, one per date. */
    models: { model_id: number; label: string; values: number[] }[];
    benchmark: { label: string; symbols: number; values: number[] } | null;
  };
}

/** Line colours, one per version in rank order (distinguishable for the common colour-vision deficiencies). */
const PALETTE = ['#0550ae', '#bf5700', '#116329', '#8250df', '#a40e26', '#1b7c83', '#7d4e00', '#cf222e'];
const BENCHMARK_COLOR = '#6e7781';

export function ModelsPage(p: PageProps) {
  const { data, error } = useApi<ModelsView>(p, '/api/models');
  return (
    <div class="models-page">
      <div class="page-head">
        <h1>Models</h1>
        {data?.date && (
          <span class="badge">
            Ranking of {data.date}, by {data.score === 'sharpe' ? 'Sharpe' : data.score}
          </span>
        )}
      </div>
      <LoadError error={error} />
      {data && !data.date && <p class="empty">No performance test has run yet: run the model pipeline to rank the models.</p>}
      {data?.date && (
        <>
          <RankingTable view={data} />
          {data.alerts.length > 0 && (
            <section aria-labelledby="model-alerts-title">
              <h2 id="model-alerts-title">Alerts</h2>
              <ul class="model-alerts">
                {data.alerts.map((a) => (
                  <li>{a}</li>
                ))}
              </ul>
            </section>
          )}
          <Curves view={data} />
        </>
      )}
    </div>
  );
}

function RankingTable({ view }: { view: ModelsView }) {
  return (
    <section aria-labelledby="ranking-title">
      <h2 id="ranking-title">Ranking</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="ranking-title">
        <table id="model-ranking">
          <caption class="sr-only">
            Model versions ranked by {view.score} on {view.date}; an underperformer is flagged with its reason
          </caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                Rank
              </th>
              <th scope="col">Model</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">
                Sharpe
              </th>
              <th scope="col" class="num">
                Return
              </th>
              <th scope="col" class="num">
                Max drawdown
              </th>
              <th scope="col" class="num">
                Signals judged
              </th>
              <th scope="col">Why flagged</th>
              {view.mlflow_configured && <th scope="col">MLflow</th>}
            </tr>
          </thead>
          <tbody>
            {view.rankings.map((r) => (
              <tr key={r.label} data-model={r.label} class={r.underperforming ? 'underperformer' : undefined}>
                <td class="num">{r.rank}</td>
                <th scope="row">
                  <span class="model-name">{r.label}</span>
                  {/* The flags sit with the name, so a phone shows them without scrolling the table sideways. */}
                  {r.underperforming && (
                    <span class="flag flag-bad" data-flag="underperformer">
                      Underperformer
                    </span>
                  )}
                  {r.top_performer && (
                    <span class="flag flag-good" data-flag="top">
                      Top performer
                    </span>
                  )}
                </th>
                <td>{r.kind ?? '–'}</td>
                <td class={`num${r.sharpe != null && r.sharpe < 0 ? ' neg' : ''}`}>{r.sharpe == null ? '–' : money(r.sharpe)}</td>
                <td class={`num${r.total_return != null && r.total_return < 0 ? ' neg' : ''}`}>{pct(r.total_return)}</td>
                <td class="num">{r.max_drawdown == null ? '–' : pct(-r.max_drawdown)}</td>
                <td class="num">{count(r.signals)}</td>
                <td class="flag-reason" data-reason={r.underperforming ?? undefined}>
                  {r.underperforming ?? <span class="muted">–</span>}
                </td>
                {view.mlflow_configured && (
                  <td>
                    {r.mlflow_url ? (
                      <a href={r.mlflow_url} target="_blank" rel="noopener noreferrer" class="mlflow-link">
                        Runs<span class="sr-only"> of {r.name} in MLflow</span>
                      </a>
                    ) : (
                      <span class="muted">not logged yet</span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Curves({ view }: { view: ModelsView }) {
  const { dates, models, benchmark } = view.curves;
  /** The version shown alone, or null for all of them. */
  const [picked, setPicked] = useState<number | null>(null);
  const shown = models.filter((m) => picked === null || m.model_id === picked);
  const colorOf = (id: number) => PALETTE[models.findIndex((m) => m.model_id === id) % PALETTE.length];
  // Values in percent on a percent scale: the axis reads "3.90%" like the table's returns.
  const series = useMemo<ChartSeries[]>(() => {
    const line = (label: string, values: number[], color: string): ChartSeries => ({
      kind: 'line',
      title: label,
      color,
      format: 'percent',
      data: values.map((v, i) => ({ time: dates[i], value: v * 100 })),
    });
    return [
      ...(benchmark ? [line('Benchmark', benchmark.values, BENCHMARK_COLOR)] : []),
      ...shown.map((m) => line(m.label, m.values, colorOf(m.model_id))),
    ];
  }, [view, picked]);
  if (dates.length === 0)
    return (
      <section aria-labelledby="curves-title">
        <h2 id="curves-title">Cumulative return</h2>
        <p class="empty">No signal has been held to the end of its period yet, so there is no curve to draw.</p>
      </section>
    );
  const last = dates.length - 1;
  const names = shown.map((m) => m.label).join(', ');
  return (
    <section aria-labelledby="curves-title">
      <h2 id="curves-title">Cumulative return</h2>
      <ButtonGroup
        label="Models on the chart"
        options={[{ value: null, label: 'All models' }, ...models.map((m) => ({ value: m.model_id, label: m.label }))]}
        value={picked}
        onChange={setPicked}
      />
      <TimeChart
        id="model-curves"
        series={series}
        height={300}
        label={`Cumulative return in percent of ${names}${benchmark ? ' against the benchmark' : ''}, ${dates[0]} to ${dates[last]}`}
      />
      <ul class="legend" aria-label="Returns to the last day">
        {shown.map((m) => (
          <li>
            <span class="swatch" style={{ background: colorOf(m.model_id) }} aria-hidden="true" />
            {m.label} <span class="legend-value">{pct(m.values[last])}</span>
          </li>
        ))}
        {benchmark && (
          <li>
            <span class="swatch" style={{ background: BENCHMARK_COLOR }} aria-hidden="true" />
            Benchmark <span class="legend-value">{pct(benchmark.values[last])}</span>
          </li>
        )}
      </ul>
      <p class="hint">
        {benchmark
          ? `Benchmark: ${benchmark.label}, bought at the close of ${dates[0]} and never traded.`
          : 'No benchmark: no symbol of the universe has a close on the first day.'}{' '}
        Each signal opens an equal-weight position at its day's close and is held for the holding period; a curve is flat before its model's
        first judged day.
      </p>
    </section>
  );
}
