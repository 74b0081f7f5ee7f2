/**
 * `quant run ingest` without `--date` takes the previous weekday, as the
 * README says (end-of-day prices of today are final only after the close).
 * Expected dates from a calendar: 2026-02-09 is a Monday, 2026-02-06 the
 * Friday before, 2026-02-10 a Tuesday.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultIngestDate } from './ingest';
import { buildProgram } from '../program';

describe('run ingest without --date', () => {
  it('is the previous weekday, whatever the hour', () => {
    expect(defaultIngestDate(new Date('2026-02-09T22:00:00Z'))).toBe('2026-02-06'); // Monday after the close: Friday
    expect(defaultIngestDate(new Date('2026-02-10T01:00:00Z'))).toBe('2026-02-09'); // Tuesday: Monday
    expect(defaultIngestDate(new Date('2026-02-08T12:00:00Z'))).toBe('2026-02-06'); // Sunday: Friday
    expect(defaultIngestDate(new Date('2026-02-07T12:00:00Z'))).toBe('2026-02-06'); // Saturday: Friday
  });

  it('the help and the README say the same', async () => {
    let help = '';
    await buildProgram(async () => undefined, { writeOut: (s) => (help += s) }).run(['run', 'ingest', '--help']);
    expect(help).toMatch(/default the previous weekday/);
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/`quant run ingest` without `--date` ingests the\s+previous weekday/);
  });
});
