/**
 * Lints Dockerfile.arm64 without a Docker engine or hadolint (neither runs
 * here): a small parser and the rules this image depends on — arm64 base,
 * multi-stage with production-only dependencies, the prebuilt workflow
 * bundle, a non-root user, a healthcheck, and nothing secret baked in — plus
 * a few hadolint classics (pinned base tags, exec-form CMD/ENTRYPOINT, COPY
 * not ADD, absolute WORKDIR).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

interface Instruction {
  op: string;
  args: string;
  line: number;
  stage: number;
}

/** Instructions with continuation lines joined and comments dropped; `stage` counts FROMs from 0. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let buffer = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!buffer && (line === '' || line.startsWith('#'))) return;
    if (buffer && line.startsWith('#')) return; // comment inside a continued RUN
    if (!buffer) startLine = i + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    const full = `${buffer}${line}`.trim();
    buffer = '';
    const [op, ...rest] = full.split(/\s+/);
    const upper = op.toUpperCase();
    if (upper === 'FROM') stage += 1;
    out.push({ op: upper, args: rest.join(' '), line: startLine, stage });
  });
  return out;
}

/** `KEY=value KEY2="v 2"` (and the legacy `KEY value`) to pairs. */
function envPairs(args: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!args.includes('=')) {
    const [k, ...v] = args.split(/\s+/);
    return [[k, v.join(' ')]];
  }
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)) {
    pairs.push([m[1], m[3] ?? m[4] ?? m[5] ?? '']);
  }
  return pairs;
}

const dockerfile = readFileSync(join(root, 'Dockerfile.arm64'), 'utf8');
const instructions = parseDockerfile(dockerfile);
const stages = Math.max(...instructions.map((i) => i.stage)) + 1;
const finalStage = stages - 1;
const inFinal = instructions.filter((i) => i.stage === finalStage);
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|DATABASE_URL|CREDENTIAL|PRIVATE_?KEY)/i;

describe('Dockerfile.arm64', () => {
  it('builds every stage from Node 20 Debian slim for linux/arm64, pinned (no latest)', () => {
    const froms = instructions.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.args, `line ${from.line}`).toMatch(/--platform=linux\/arm64\b/);
      expect(from.args, `line ${from.line}`).toMatch(/\bnode:20(\.\d+)*-bookworm-slim\b/);
      expect(from.args).not.toMatch(/:latest\b/);
    }
  });

  it('is multi-stage: dev dependencies and the build in one stage, production dependencies in the last', () => {
    const build = instructions.filter((i) => i.stage < finalStage && i.op === 'RUN').map((i) => i.args);
    expect(build.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(build.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    const runtimeRuns = inFinal.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runtimeRuns.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runtimeRuns.some((r) => /\bnpm run build\b|\btsc\b|\bnpm (ci|install)\b(?!.*--omit=dev)/.test(r))).toBe(false);
    const copiesFromBuild = inFinal.filter((i) => i.op === 'COPY' && /--from=/.test(i.args));
    expect(copiesFromBuild.map((i) => i.args)).toContainEqual(expect.stringMatching(/--from=\S+ \/app\/dist \.\/dist/));
    // The runtime never sees the sources or the dev toolchain.
    expect(inFinal.some((i) => i.op === 'COPY' && /^(src|workflows|activities|scripts)\b/.test(i.args))).toBe(false);
  });

  it('ships the workflow bundle built once at image build time and points the worker at it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toContain('scripts/bundle-workflows.ts');
    expect(existsSync(join(root, 'scripts', 'bundle-workflows.ts'))).toBe(true);
    const env = Object.fromEntries(inFinal.filter((i) => i.op === 'ENV').flatMap((i) => envPairs(i.args)));
    expect(env.WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
    expect(env.NODE_ENV).toBe('production');
  });

  it('installs with the .npmrc that skips the ONNX runtime download', () => {
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^onnxruntime-node-install=skip$/m);
    for (let stage = 0; stage < stages; stage++) {
      const copies = instructions.filter((i) => i.stage === stage && i.op === 'COPY' && !/--from=/.test(i.args));
      const npmCi = instructions.find((i) => i.stage === stage && i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
      if (!npmCi) continue;
      const npmrc = copies.find((c) => /(^|\s)\.npmrc(\s|$)/.test(c.args));
      expect(npmrc, `stage ${stage} copies .npmrc`).toBeDefined();
      expect(npmrc!.line).toBeLessThan(npmCi.line);
    }
  });

  it('runs as a non-root user with a numeric uid', () => {
    const users = inFinal.filter((i) => i.op === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1];
    const uid = user.args.split(':')[0];
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    const entrypoint = inFinal.find((i) => i.op === 'ENTRYPOINT')!;
    expect(user.line).toBeLessThan(entrypoint.line);
  });

  it('has a healthcheck that asks the metrics server with node (no curl in slim)', () => {
    const hc = inFinal.find((i) => i.op === 'HEALTHCHECK');
    expect(hc).toBeDefined();
    expect(hc!.args).toMatch(/CMD \["node"/);
    expect(hc!.args).toContain('/healthz');
    expect(hc!.args).toContain('METRICS_PORT');
    expect(hc!.args).not.toMatch(/\bcurl\b|\bwget\b/);
  });

  it('runs the quant CLI (worker by default) in exec form', () => {
    const entrypoint = inFinal.find((i) => i.op === 'ENTRYPOINT')!;
    expect(JSON.parse(entrypoint.args)).toEqual(['node', 'dist/src/cli/main.js']);
    expect(JSON.parse(inFinal.find((i) => i.op === 'CMD')!.args)).toEqual(['worker']);
  });

  it('bakes in no secrets: no secret-looking ENV or ARG, no URL credentials, no .env files', () => {
    for (const i of instructions.filter((x) => x.op === 'ENV' || x.op === 'ARG')) {
      for (const [name, value] of i.op === 'ENV' ? envPairs(i.args) : [i.args.split('=') as [string, string]]) {
        expect(name, `line ${i.line}`).not.toMatch(SECRET_NAME);
        expect(value ?? '', `line ${i.line}`).not.toMatch(/:\/\/[^/\s:@]+:[^@\s/]+@/);
      }
    }
    for (const i of instructions.filter((x) => x.op === 'COPY' || x.op === 'ADD')) {
      expect(i.args, `line ${i.line}`).not.toMatch(/(^|\s)\.env\b|\.pem\b|\.key\b|id_rsa/);
      expect(i.args, `line ${i.line}: COPY . . would send local state into the image`).not.toMatch(/^\.\s+\.?\/?$/);
    }
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', '.data', '.env', 'dist']) expect(ignore).toContain(entry);
    expect(ignore).not.toContain('.npmrc');
  });

  it('follows hadolint basics: COPY not ADD, absolute WORKDIR, apt with --no-install-recommends, no sudo', () => {
    expect(instructions.some((i) => i.op === 'ADD')).toBe(false);
    for (const w of instructions.filter((i) => i.op === 'WORKDIR')) expect(w.args.startsWith('/')).toBe(true);
    for (const r of instructions.filter((i) => i.op === 'RUN')) {
      if (/apt-get install/.test(r.args)) expect(r.args).toMatch(/--no-install-recommends/);
      expect(r.args).not.toMatch(/\bsudo\b/);
      expect(r.args).not.toMatch(/\bcurl\b[^|]*\|\s*(ba)?sh/);
    }
  });

  it('copies only paths that exist in the repository', () => {
    for (const c of instructions.filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) expect(existsSync(join(root, src)), `line ${c.line}: ${src}`).toBe(true);
    }
  });
});

describe('parseDockerfile', () => {
  it('joins continuation lines and counts stages', () => {
    const parsed = parseDockerfile('FROM a AS b\n# c\nRUN x \\\n  # inner\n  && y\nFROM c\nUSER 1\n');
    expect(parsed).toEqual([
      { op: 'FROM', args: 'a AS b', line: 1, stage: 0 },
      { op: 'RUN', args: 'x && y', line: 3, stage: 0 },
      { op: 'FROM', args: 'c', line: 6, stage: 1 },
      { op: 'USER', args: '1', line: 7, stage: 1 },
    ]);
  });
});
