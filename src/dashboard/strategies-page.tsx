/**
 * Strategies: each one's enabled switch, confidence threshold and max
 * position size, edited in place (PATCH /strategies/:name, effective on the
 * next signal). A number is saved when it changes (Enter or leaving the
 * field); the service's answer replaces the row, so what shows is what is
 * stored.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from './page';
import { api, ApiError, type Strategy } from './client';
import { money } from './format';

export function StrategiesPage({ apiKey, onUnauthorized }: PageProps) {
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
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
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
