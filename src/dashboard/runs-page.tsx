/**
 * Runs: the latest daily pipeline runs (the pipeline and its steps WF1-WF6)
 * and fan-out runs with their status (GET /api/runs, the listing `quant runs
 * list` prints), links into the Temporal Web UI (the workflow, and a
 * fan-out's per-contract children), and each run's reports rendered on the
 * page with their charts (GET /api/runs/report). A source that could not be
 * read is said at the top instead of leaving its runs silently out.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ButtonGroup } from './button-group';
import { LoadError, useApi, type PageProps } from './page';
import { when } from './format';

/** One run, as GET /api/runs sends it. */
export interface RunRow {
  kind: 'daily' | 'fanout';
  workflow: string;
  workflow_id: string;
  /** The run date of a daily run, the run key of a fan-out run. */
  run: string;
  status: string;
  started_at: string;
  closed_at: string | null;
  detail: string;
  web_ui: string | null;
  children_web_ui: string | null;
  reports: { label: string; key: string }[];
}

export interface RunsView {
  runs: RunRow[];
  missing: { source: 'daily' | 'fanout'; reason: string }[];
}

/** GET /api/runs/report: the HTML the server rendered from the report's Markdown. */
export interface RenderedReport {
  key: string;
  title: string;
  html: string;
  charts: { inlined: number; missing: string[] };
}

const KINDS = [
  { value: 'all', label: 'All' },
  { value: 'daily', label: 'Daily pipeline' },
  { value: 'fanout', label: 'Fan-out' },
] as const;
type KindFilter = (typeof KINDS)[number]['value'];
const LIMITS = [50, 100, 200] as const;

/** Statuses that need a second look are said in capitals, as `quant runs list` does. */
const statusText = (s: string) => (s === 'completed' || s === 'running' ? s : s.toUpperCase());

export function RunsPage(p: PageProps) {
  const [kind, setKind] = useState<KindFilter>('all');
  const [limit, setLimit] = useState<(typeof LIMITS)[number]>(50);
  const [open, setOpen] = useState<{ key: string; label: string; run: RunRow } | null>(null);
  const { data, error } = useApi<RunsView>(p, `/api/runs?limit=${limit}`);
  /** The report button that opened the panel: closing the panel gives it the focus back. */
  const opener = useRef<HTMLButtonElement | null>(null);
  const close = () => {
    setOpen(null);
    opener.current?.focus();
  };
  const runs = data?.runs.filter((r) => kind === 'all' || r.kind === kind) ?? [];
  return (
    <div class="runs-page">
      <div class="page-head">
        <h1>Runs</h1>
      </div>
      <LoadError error={error} />
      {data?.missing.map((m) => (
        <p class="warning" role="status" data-missing={m.source}>
          {m.reason}
        </p>
      ))}
      <div class="toolbar">
        <ButtonGroup label="Kind of run" options={KINDS} value={kind} onChange={setKind} />
        <ButtonGroup
          label="Runs listed of each kind"
          options={LIMITS.map((n) => ({ value: n, label: `Last ${n}` }))}
          value={limit}
          onChange={setLimit}
        />
      </div>
      {open && <ReportPanel {...p} open={open} onClose={close} />}
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Latest runs</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="runs-title">
          <table id="runs">
            <caption class="sr-only">Daily and fan-out runs, newest first, with their reports and Temporal Web UI links</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Reports</th>
                <th scope="col">Temporal</th>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={`${r.workflow_id}@${r.started_at}`} data-workflow-id={r.workflow_id} data-status={r.status} data-kind={r.kind}>
                  <th scope="row">{r.run}</th>
                  <td>{r.workflow}</td>
                  <td>
                    <span class={`run-status run-status-${r.status}`}>{statusText(r.status)}</span>
                  </td>
                  <td class="run-reports">
                    {r.reports.length === 0 && <span class="muted">–</span>}
                    {r.reports.map((rep) => (
                      <button
                        type="button"
                        class="small"
                        data-report={rep.key}
                        aria-pressed={open?.key === rep.key}
                        aria-controls={open?.key === rep.key ? 'run-report' : undefined}
                        onClick={(e) => {
                          opener.current = e.currentTarget;
                          setOpen(open?.key === rep.key ? null : { key: rep.key, label: rep.label, run: r });
                        }}
                      >
                        {rep.label}
                        <span class="sr-only"> of {r.workflow_id}</span>
                      </button>
                    ))}
                  </td>
                  <td class="run-links">
                    {r.web_ui ? (
                      <a href={r.web_ui} target="_blank" rel="noopener noreferrer" data-link="workflow">
                        Workflow<span class="sr-only"> {r.workflow_id} in the Temporal Web UI</span>
                      </a>
                    ) : (
                      <span class="muted">–</span>
                    )}
                    {r.children_web_ui && (
                      <a href={r.children_web_ui} target="_blank" rel="noopener noreferrer" data-link="children">
                        Children by contract<span class="sr-only"> of {r.workflow_id}</span>
                      </a>
                    )}
                  </td>
                  <td>
                    <time dateTime={r.started_at}>{when(r.started_at)}</time>
                  </td>
                  <td>{r.kind === 'daily' ? 'daily' : 'fan-out'}</td>
                  <td class="run-detail">{r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data && runs.length === 0 && <p class="empty">No runs of this kind yet.</p>}
        </div>
      </section>
    </div>
  );
}

/** The opened report, above the table; its heading takes the focus so a keyboard user lands on it. */
function ReportPanel(p: PageProps & { open: { key: string; label: string; run: RunRow }; onClose: () => void }) {
  const { data, error } = useApi<RenderedReport>(p, `/api/runs/report?key=${encodeURIComponent(p.open.key)}`);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [p.open.key]);
  const current = data?.key === p.open.key ? data : null;
  return (
    <section id="run-report" class="report-panel" aria-labelledby="report-title" aria-busy={!current && !error}>
      <div class="report-head">
        <h2 id="report-title" tabIndex={-1} ref={heading}>
          {p.open.label}: {p.open.run.workflow_id}
        </h2>
        <button type="button" class="link" onClick={p.onClose}>
          Close report
        </button>
      </div>
      <LoadError error={error} />
      {!current && !error && <p class="hint">Loading {p.open.key}…</p>}
      {current && (
        <>
          <p class="hint report-key">{current.key}</p>
          {current.charts.missing.length > 0 && (
            <p class="warning">Charts not found next to the report: {current.charts.missing.join(', ')}</p>
          )}
          {/* Safe to insert as HTML only because the server escaped every raw HTML in the Markdown (src/api/views/report-html.ts):
              what is here is marked's own markup and the report's SVG charts as data: images. */}
          <article class="report" dangerouslySetInnerHTML={{ __html: current.html }} />
        </>
      )}
    </section>
  );
}
