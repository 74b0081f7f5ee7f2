/**
 * The fan-out progress bar on a captured stream with a fake clock: no "0/0"
 * before the total is known, elapsed time and an ETA from the rate so far
 * (worked by hand below), one line per few seconds off a TTY, and the line
 * always ended before the result is printed.
 */
import { describe, expect, it } from 'vitest';
import { createProgressPrinter, formatDuration, renderBar } from './progress';

function capture(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => (writes.push(s), true) } };
}

describe('renderBar', () => {
  it('says it waits for contracts until the total is known, never 0/0', () => {
    const text = renderBar({ total: 0, completed: 0, failed: 0, running: 0 }, 5_000);
    expect(text).toBe('waiting for contracts (the orchestrator is reading its input)  elapsed 0:05');
    expect(text).not.toContain('0/0');
  });

  it('shows elapsed time and the ETA at the rate so far', () => {
    // 5 of 10 done in 50 s -> 10 s each -> 5 left = 50 s.
    expect(renderBar({ total: 10, completed: 4, failed: 1, running: 2 }, 50_000, 10)).toBe(
      '[#####-----] 5/10 done (1 failed, 2 running) 50%  elapsed 0:50  ETA 0:50',
    );
    // 1 of 418 in 3 s -> 417 x 3 s = 1251 s = 20:51.
    expect(renderBar({ total: 418, completed: 1, failed: 0, running: 8 }, 3_000, 10)).toContain('elapsed 0:03  ETA 20:51');
    expect(renderBar({ total: 4, completed: 0, failed: 0, running: 4 }, 1_000, 4)).toContain('ETA --');
    expect(renderBar({ total: 4, completed: 4, failed: 0, running: 0 }, 61_000, 4)).toMatch(/100%  elapsed 1:01$/);
  });

  it('formats hours', () => {
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('createProgressPrinter', () => {
  it('on a TTY redraws in place and ends its line at the final state, before the result', () => {
    let t = 1_000;
    const { writes, stream } = capture(true);
    const bar = createProgressPrinter({ stream, now: () => t });
    bar.update({ total: 0, completed: 0, failed: 0, running: 0 });
    t += 2_000;
    bar.update({ total: 2, completed: 1, failed: 0, running: 1 });
    t += 2_000;
    bar.update({ total: 2, completed: 1, failed: 1, running: 0 });
    expect(writes[0]).toBe('\rwaiting for contracts (the orchestrator is reading its input)  elapsed 0:00\x1b[K');
    expect(writes[1]).toContain('1/2 done (0 failed, 1 running) 50%  elapsed 0:02  ETA 0:02');
    expect(writes.at(-2)).toContain('2/2 done (1 failed, 0 running) 100%  elapsed 0:04');
    expect(writes.at(-1)).toBe('\n');
    // The caller's end() after the final update writes nothing more.
    const n = writes.length;
    bar.end();
    bar.update({ total: 2, completed: 2, failed: 0, running: 0 });
    expect(writes).toHaveLength(n);
  });

  it('end() on a failed follow closes the open line', () => {
    const { writes, stream } = capture(true);
    const bar = createProgressPrinter({ stream, now: () => 0 });
    bar.update({ total: 3, completed: 1, failed: 0, running: 2 });
    bar.end();
    expect(writes.join('').endsWith('\n')).toBe(true);
  });

  it('off a TTY writes whole lines, at most one per interval', () => {
    let t = 0;
    const { writes, stream } = capture(false);
    const bar = createProgressPrinter({ stream, now: () => t, plainEveryMs: 3_000 });
    bar.update({ total: 10, completed: 0, failed: 0, running: 4 });
    t = 1_000;
    bar.update({ total: 10, completed: 1, failed: 0, running: 4 });
    t = 3_500;
    bar.update({ total: 10, completed: 2, failed: 0, running: 4 });
    expect(writes).toHaveLength(2);
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    expect(writes[1]).toContain('2/10 done');
  });
});
