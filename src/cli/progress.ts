/**
 * A one-line progress bar for a fan-out run on stderr: redrawn in place on a
 * TTY and printed every few seconds otherwise (CI logs stay readable). Until
 * the orchestrator knows how many contracts it has, it says so instead of
 * drawing "0/0"; once it does, it shows the elapsed time and an ETA from the
 * rate so far. The line is always ended before anything else is printed, so
 * the result on stdout never starts on the bar's line.
 *
 * Written by hand rather than with a progress library: it is one line of
 * text fed by a polled query, and the libraries bring a render loop and
 * terminal handling we do not need.
 */
import type { FanoutProgress } from '../../workflows/fanout-window';

/** Plain seconds as m:ss (or h:mm:ss). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The bar's text for `p` after `elapsedMs`.
 *
 * ETA = elapsed / done x (total - done): the rate so far, unknown ("--")
 * until the first contract finishes.
 *
 * @example
 *   renderBar({ total: 10, completed: 4, failed: 1, running: 2 }, 50_000, 10)
 *   // '[#####-----] 5/10 done (1 failed, 2 running) 50%  elapsed 0:50  ETA 0:50'
 */
export function renderBar(p: FanoutProgress, elapsedMs: number, width = 30): string {
  const elapsed = `elapsed ${formatDuration(elapsedMs)}`;
  if (p.total <= 0) return `waiting for contracts (the orchestrator is reading its input)  ${elapsed}`;
  const done = p.completed + p.failed;
  const frac = Math.min(1, done / p.total);
  const filled = Math.round(frac * width);
  const eta = done >= p.total ? '' : done > 0 ? `  ETA ${formatDuration((elapsedMs / done) * (p.total - done))}` : '  ETA --';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${p.total} done (${p.failed} failed, ${p.running} running) ${(frac * 100).toFixed(0)}%  ${elapsed}${eta}`;
}

export interface ProgressPrinterOptions {
  stream?: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  /** The clock (tests pass a fake one). */
  now?: () => number;
  /** How often a non-TTY stream gets a line. */
  plainEveryMs?: number;
}

export interface ProgressPrinter {
  update(p: FanoutProgress): void;
  /** Draw the final state (if given) and end the line. Safe to call more than once. */
  end(p?: FanoutProgress): void;
}

const isFinal = (p: FanoutProgress) => p.total > 0 && p.running === 0 && p.completed + p.failed >= p.total;

/**
 * @example
 *   const bar = createProgressPrinter();
 *   const r = await followOrchestrator(client, id, (p) => bar.update(p));
 *   bar.end();
 *   process.stdout.write(JSON.stringify(r));
 */
export function createProgressPrinter(options: ProgressPrinterOptions = {}): ProgressPrinter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const plainEveryMs = options.plainEveryMs ?? 3000;
  const startedAt = now();
  let lastPlain = -Infinity;
  /** A TTY line drawn and not yet ended. */
  let open = false;
  let ended = false;
  let last: FanoutProgress | undefined;

  const draw = (p: FanoutProgress) => {
    const text = renderBar(p, now() - startedAt);
    if (stream.isTTY) {
      // \x1b[K clears what a longer previous line left behind.
      stream.write(`\r${text}\x1b[K`);
      open = true;
    } else {
      stream.write(`${text}\n`);
      lastPlain = now();
    }
  };

  const printer: ProgressPrinter = {
    update(p) {
      if (ended) return;
      last = p;
      // The final state (all contracts done) ends the line itself, so whatever prints next starts on its own.
      if (isFinal(p)) return printer.end(p);
      if (stream.isTTY || now() - lastPlain >= plainEveryMs) draw(p);
    },
    end(p) {
      if (ended) return;
      ended = true;
      const final = p ?? last;
      if (final) draw(final);
      if (open) stream.write('\n');
      open = false;
    },
  };
  return printer;
}
