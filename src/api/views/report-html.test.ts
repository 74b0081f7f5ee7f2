/**
 * The report renderer on the filesystem store: raw HTML in a report is shown
 * as text (never markup), links go out only to http(s), a sibling SVG chart
 * is inlined as a data: URI with its exact bytes, a chart that is missing,
 * elsewhere or not an SVG is not, and only keys under reports/<workflow>/
 * ending in .md are report keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsObjectStore } from '../../adapters/object-store/fs-store';
import { ObjectNotFoundError } from '../../adapters/object-store/types';
import { renderReport, reportKeyProblem } from './report-html';

const root = mkdtempSync(join(tmpdir(), 'report-html-'));
const store = createFsObjectStore({ root, bucket: 'reports-test' });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DIR = 'reports/monitor/year=2025/month=03/day=14';
const CHART =
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#0550ae"/></svg>';

describe('renderReport', () => {
  it('escapes raw HTML, keeps only http(s) links, and inlines the sibling chart', async () => {
    await store.put(`${DIR}/monitor-2025-03-14-equity.svg`, CHART);
    await store.put(
      `${DIR}/monitor-2025-03-14.md`,
      [
        '# Portfolio <em>monitor</em>',
        '',
        '<script>alert("block")</script>',
        '',
        'Text with <img src=x onerror="alert(1)"> inline, [a script link](javascript:alert(1)) and [the docs](https://example.com/docs).',
        '',
        '![Equity curve](monitor-2025-03-14-equity.svg)',
        '',
        '## Positions',
        '',
        '| symbol | note |',
        '| --- | --- |',
        '| AAPL | <b>bold?</b> |',
        '',
      ].join('\n'),
    );
    const r = await renderReport(store, `${DIR}/monitor-2025-03-14.md`);

    expect(r.title).toBe('Portfolio <em>monitor</em>');
    // Not one tag of the Markdown's own HTML survives as markup.
    expect(r.html).not.toMatch(/<script|<em>|<b>|<img src=x|href="javascript/i);
    expect(r.html).toContain('&lt;script&gt;alert(&quot;block&quot;)&lt;/script&gt;');
    expect(r.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(r.html).toContain('&lt;b&gt;bold?&lt;/b&gt;');
    expect(r.html).toContain('a script link');
    expect(r.html).toContain('<a href="https://example.com/docs" rel="noopener noreferrer">the docs</a>');
    // Headings two levels down (the page's h1 and the panel's h2 are above them); tables scroll in a named box.
    expect(r.html).toContain('<h3>Portfolio &lt;em&gt;monitor&lt;/em&gt;</h3>');
    expect(r.html).toContain('<h4>Positions</h4>');
    expect(r.html).toMatch(/<div class="report-table" tabindex="0" role="region" aria-label="Positions \(table\)"><table>/);

    const src = /<img src="(data:image\/svg\+xml;base64,[^"]+)" alt="Equity curve">/.exec(r.html)?.[1];
    expect(src).toBeDefined();
    expect(Buffer.from(src!.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8')).toBe(CHART);
    expect(r.charts).toEqual({ inlined: 1, missing: [] });
  });

  it('does not inline a missing chart, one outside the folder, a remote one or a file that is not an SVG', async () => {
    await store.put('reports/monitor/secret.svg', CHART);
    await store.put(`${DIR}/fake.svg`, '<html><script>alert(1)</script></html>');
    await store.put(
      `${DIR}/other.md`,
      ['![gone](gone.svg) ![up](../secret.svg) ![remote](https://example.com/x.svg) ![fake](fake.svg)'].join('\n'),
    );
    const r = await renderReport(store, `${DIR}/other.md`);
    expect(r.html).not.toContain('<img');
    expect(r.html).toContain('[gone: chart not available]');
    expect(r.html).toContain('[up: chart not available]');
    expect(r.html).toContain('[remote: chart not available]');
    expect(r.charts).toEqual({ inlined: 0, missing: ['gone.svg', 'fake.svg'] });
  });

  it('throws ObjectNotFoundError for a report that is not there', async () => {
    await expect(renderReport(store, `${DIR}/nope.md`)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});

describe('reportKeyProblem', () => {
  it('takes a report key of any report-writing workflow', () => {
    expect(reportKeyProblem(`${DIR}/monitor-2025-03-14.md`)).toBeNull();
    expect(reportKeyProblem('reports/orchestrator/year=2026/month=12/day=06/run-1.md')).toBeNull();
  });

  it('refuses a key outside reports/<workflow>/, not ending in .md, or not a valid key', () => {
    expect(reportKeyProblem('market_data/source=x/a.md')).toMatch(/^a report key starts with reports\/<workflow>\//);
    expect(reportKeyProblem('reports/nosuchworkflow/a.md')).toMatch(/^a report key starts with/);
    expect(reportKeyProblem(`${DIR}/monitor-2025-03-14-equity.svg`)).toBe('a report key ends with .md');
    expect(reportKeyProblem('reports/monitor/../../etc/passwd.md')).toMatch(/^not a valid object key: .*"\.\." segment/);
    expect(reportKeyProblem('/reports/monitor/a.md')).toMatch(/^not a valid object key: .*leading slash/);
    expect(reportKeyProblem('')).toMatch(/^not a valid object key/);
  });
});
