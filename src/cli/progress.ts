/**
 * A one-line progress bar for a fan-out run, redrawn in place on a TTY and
 * printed every few seconds otherwise (CI logs stay readable).
 */
import type { FanoutProgress } from '../../workflows/fanout-window';

export function renderBar(p: FanoutProgress, width = 30): string {
  const done = p.completed + p.failed;
  const frac = p.total > 0 ? Math.min(1, done / p.total) : 0;
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${p.total} done (${p.failed} failed, ${p.running} running) ${(frac * 100).toFixed(0)}%`;
}

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr) {
  let lastPlain = 0;
  return {
    update(p: FanoutProgress) {
      if (stream.isTTY) stream.write(`\r${renderBar(p)}`);
      else if (Date.now() - lastPlain > 3000) {
        lastPlain = Date.now();
        stream.write(`${renderBar(p)}\n`);
      }
    },
    end(p: FanoutProgress) {
      stream.write(stream.isTTY ? `\r${renderBar(p)}\n` : `${renderBar(p)}\n`);
    },
  };
}
