/**
 * Strategies: each one's enabled switch, confidence threshold and max
 * position size, edited in place (PATCH /strategies/:name, effective on the
 * next signal). A number is saved when it changes (Enter or leaving the
 * field); the service's answer replaces the row, so what shows is what is
 * stored. Below them, the day's signals and rejections with the rule that
 * rejected each (GET /api/strategies/activity): today in New York, or the
 * latest day that had signals, said as such.
 */
import { useEffect, useState } from 'preact/hooks';
import { ButtonGroup } from './button-group';
import { LoadError, useApi, type PageProps } from './page';
import { api, ApiError, type Strategy } from './client';
import { count, money } from './format';

export function StrategiesPage(props: PageProps) {
  const { apiKey, onUnauthorized } = props;
  const [strategies, setStrategies] = useState<Strategy[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fail = (err: unknown, what: string) => {
    if (err instanceof ApiError && err.status === 401) onUnauthorized();
    else setError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  };

  useEffect(() => {
    api<Strategy[]>(apiKey, 'GET', '/strategies').then(setStrategies, (err: unknown) => fail(err, 'Could not load the strategies'));
  }, [apiKey]);

  const patch = async (name: string, body: Partial<Pick<Strategy, 'enabled' | 'confidence_threshold' | 'max_position_size'>>) => {
    setError(null);
    try {
      const updated = await api<Strategy>(apiKey, 'PATCH', `/strategies/${encodeURIComponent(name)}`, body);
      setStrategies((all) => all?.map((s) => (s.name === name ? updated : s)) ?? null);
      setStatus(`Saved ${name}.`);
    } catch (err) {
      fail(err, `${name} was not saved`);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1>Strategies</h1>
      </div>
      <LoadError error={error} />
      <p class="notice" role="status" aria-live="polite">
        {status}
      </p>
      <ul class="cards" id="strategies">
        {strategies?.map((s) => (
          <li key={s.name} class="card" data-strategy={s.name}>
            <div class="card-head">
              <h2>{s.name}</h2>
              <span class="kind">{s.kind ?? 'external'}</span>
            </div>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={s.enabled}
                onChange={(e) => void patch(s.name, { enabled: e.currentTarget.checked })}
              />
              <span>Enabled</span>
              <span class="sr-only"> {s.name}</span>
            </label>
            <NumberField
              label="Confidence threshold"
              id={`conf-${s.name}`}
              value={s.confidence_threshold}
              step={0.01}
              min={0}
              max={1}
              shown={s.confidence_threshold.toFixed(2)}
              onSave={(v) => patch(s.name, { confidence_threshold: v })}
            />
            <NumberField
              label="Max position size"
              id={`max-${s.name}`}
              value={s.max_position_size}
              step={100}
              min={1}
              shown={money(s.max_position_size)}
              onSave={(v) => patch(s.name, { max_position_size: v })}
            />
          </li>
        ))}
      </ul>
      <StrategyActivity {...props} />
    </>
  );
}

/** A number input saved on change; the stored value is shown formatted beside it. */
function NumberField(p: {
  label: string;
  id: string;
  value: number;
  step: number;
  min: number;
  max?: number;
  shown: string;
  onSave: (v: number) => Promise<void>;
}) {
  const [draft, setDraft] = useState(String(p.value));
  useEffect(() => setDraft(String(p.value)), [p.value]);
  const save = () => {
    const v = Number(draft);
    if (draft.trim() === '' || !Number.isFinite(v) || v === p.value) return;
    void p.onSave(v);
  };
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="number"
        inputMode="decimal"
        step={p.step}
        min={p.min}
        max={p.max}
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={save}
        onKeyDown={(e) => e.key === 'Enter' && save()}
      />
      <span class="current" aria-hidden="true">
        {p.shown}
      </span>
    </div>
  );
}

type Outcome = 'executed' | 'rejected' | 'held';

interface ActivityWire {
  today: string;
  date: string | null;
  is_today: boolean;
  strategies: { strategy: string; signals: number; executed: number; rejected: number; held: number }[];
  rules: { strategy: string; rule: string; count: number }[];
  signals: {
    total: number;
    rows: {
      id: number;
      at: string;
      strategy: string;
      symbol: string;
      action: 'BUY' | 'SELL' | 'HOLD';
      confidence: number;
      outcome: Outcome;
      rule: string | null;
      reason: string | null;
      book: string | null;
    }[];
  };
}

const PAGE_ROWS = 50;
const MAX_ROWS = 1000;
const OUTCOMES: { id: Outcome | null; label: string }[] = [
  { id: null, label: 'All' },
  { id: 'rejected', label: 'Rejected' },
  { id: 'executed', label: 'Executed' },
  { id: 'held', label: 'Held' },
];

const NEW_YORK_TIME = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The day's signals, one strategy or all, narrowed by outcome; newest first, PAGE_ROWS more at a time. */
function StrategyActivity(p: PageProps) {
  const [strategy, setStrategy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [limit, setLimit] = useState(PAGE_ROWS);
  const query = new URLSearchParams({ limit: String(limit) });
  if (strategy) query.set('strategy', strategy);
  if (outcome) query.set('outcome', outcome);
  const { data, error, reload } = useApi<ActivityWire>(p, `/api/strategies/activity?${query.toString()}`);
  const filter = (set: () => void) => {
    set();
    setLimit(PAGE_ROWS);
  };
  const rulesOf = (name: string) => data?.rules.filter((r) => r.strategy === name) ?? [];

  return (
    <section class="activity" aria-labelledby="activity-head">
      <div class="activity-head">
        <h2 id="activity-head">
          {data && data.date && !data.is_today ? `Signals and rejections on ${data.date}` : "Today's signals and rejections"}
        </h2>
        <button type="button" class="link" onClick={reload}>
          Refresh
        </button>
      </div>
      <LoadError error={error} />
      {data && !data.date && <p class="empty">No signal has been received yet.</p>}
      {data?.date && !data.is_today && (
        <p class="activity-day" id="activity-day">
          No signals today ({data.today}, New York). Showing the latest trading day with signals: <strong>{data.date}</strong>.
        </p>
      )}
      {data?.date && (
        <>
          <div class="table-wrap">
            <table id="activity-summary">
              <caption class="sr-only">Signals per strategy on {data.date}</caption>
              <thead>
                <tr>
                  <th scope="col">Strategy</th>
                  <th scope="col" class="num">
                    Signals
                  </th>
                  <th scope="col" class="num">
                    Executed
                  </th>
                  <th scope="col" class="num">
                    Rejected
                  </th>
                  <th scope="col" class="num">
                    Held
                  </th>
                  <th scope="col">Rejected by</th>
                </tr>
              </thead>
              <tbody>
                {data.strategies.map((s) => (
                  <tr key={s.strategy} data-strategy-activity={s.strategy}>
                    <th scope="row">{s.strategy}</th>
                    <td class="num">{count(s.signals)}</td>
                    <td class="num">{count(s.executed)}</td>
                    <td class="num">{count(s.rejected)}</td>
                    <td class="num">{count(s.held)}</td>
                    <td>
                      {rulesOf(s.strategy)
                        .map((r) => `${r.rule} (${count(r.count)})`)
                        .join(', ') || '–'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <div class="activity-filters">
            <ButtonGroup
              label="Strategy"
              options={[null, ...data.strategies.map((s) => s.strategy)].map((name) => ({ value: name, label: name ?? 'All strategies' }))}
              value={strategy}
              onChange={(name) => filter(() => setStrategy(name))}
            />
            <ButtonGroup
              label="Outcome"
              options={OUTCOMES.map((o) => ({ value: o.id, label: o.label }))}
              value={outcome}
              onChange={(id) => filter(() => setOutcome(id))}
            />
          </div>

          <p class="activity-count" role="status" aria-live="polite">
            {data.signals.total === 0
              ? 'No signals match.'
              : `Showing ${count(data.signals.rows.length)} of ${count(data.signals.total)} signals, newest first.`}
          </p>
          {data.signals.rows.length > 0 && (
            <div class="table-wrap">
              <table id="activity-signals">
                <thead>
                  <tr>
                    <th scope="col">Time (New York)</th>
                    <th scope="col">Strategy</th>
                    <th scope="col">Book</th>
                    <th scope="col">Symbol</th>
                    <th scope="col">Action</th>
                    <th scope="col" class="num">
                      Confidence
                    </th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Rejected by</th>
                  </tr>
                </thead>
                <tbody>
                  {data.signals.rows.map((r) => (
                    <tr key={r.id} data-signal-id={r.id} data-outcome={r.outcome}>
                      <td>{NEW_YORK_TIME.format(new Date(r.at))}</td>
                      <td>{r.strategy}</td>
                      <td>{r.book ?? '–'}</td>
                      <td>{r.symbol}</td>
                      <td class={r.action === 'BUY' ? 'buy' : r.action === 'SELL' ? 'sell' : undefined}>{r.action}</td>
                      <td class="num">{r.confidence.toFixed(2)}</td>
                      <td>
                        <span class={`outcome ${r.outcome}`}>{r.outcome}</span>
                      </td>
                      <td class="activity-rule">
                        {r.rule ? (
                          <>
                            <span class="rule">{r.rule}</span>
                            <span class="reason">{r.reason}</span>
                          </>
                        ) : (
                          '–'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {data.signals.rows.length < data.signals.total && limit < MAX_ROWS && (
            <button type="button" class="activity-more" onClick={() => setLimit((l) => Math.min(MAX_ROWS, l + PAGE_ROWS))}>
              Show {count(Math.min(PAGE_ROWS, data.signals.total - data.signals.rows.length))} more
            </button>
          )}
        </>
      )}
    </section>
  );
}
