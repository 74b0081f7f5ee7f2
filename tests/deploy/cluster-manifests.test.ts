/**
 * The cluster files in deploy/: Postgres and MinIO manifests validated
 * offline against the Kubernetes schemas and pinned to the NVMe node with
 * secrets referenced, the Temporal chart values (Postgres + SQL visibility, no
 * Elasticsearch/Cassandra, Web UI on the LAN), the Grafana dashboard's
 * metrics, and the deploy workflow's job order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/adapters/metrics';
import { parseManifests, strictCheckManifests, validateManifest, type K8sObject } from './k8s-schemas';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const SECRET_ENV = /(PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|DATABASE_URL)/i;

describe.each(['deploy/postgres.yaml', 'deploy/minio.yaml'])('%s', (file) => {
  const objects = parseManifests(read(file));

  it('is valid against the Kubernetes schemas, strictly', async () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) await validateManifest(o);
    expect(await strictCheckManifests(objects)).toEqual([]);
  });

  it('runs one StatefulSet on the NVMe node with a persistent volume', () => {
    const sts = objects.filter((o) => o.kind === 'StatefulSet');
    expect(sts).toHaveLength(1);
    const spec = sts[0].spec;
    expect(spec.template.spec.nodeSelector['kubernetes.io/hostname']).toBe('pi5-1tb');
    expect(spec.volumeClaimTemplates[0].spec.resources.requests.storage).toMatch(/Gi$/);
    const mounts = spec.template.spec.containers[0].volumeMounts.map((m: { name: string }) => m.name);
    expect(mounts).toContain(spec.volumeClaimTemplates[0].metadata.name);
    expect(objects.some((o) => o.kind === 'Service')).toBe(true);
  });

  it('references secrets and never inlines them', () => {
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    const containers = objects.flatMap((o: K8sObject) => o.spec?.template?.spec?.containers ?? []);
    for (const c of containers) {
      for (const e of c.env ?? []) {
        if (SECRET_ENV.test(e.name)) {
          expect(e.value, `${c.name} env ${e.name}`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.name, `${c.name} env ${e.name}`).toBeTruthy();
        }
      }
    }
  });
});

describe('deploy/temporal-values.yaml', () => {
  const values = parseYaml(read('deploy/temporal-values.yaml'));

  it('uses Postgres for persistence and SQL visibility, no Elasticsearch or Cassandra', () => {
    const { default: main, visibility } = values.server.config.persistence;
    for (const store of [main, visibility]) {
      expect(store.driver).toBe('sql');
      expect(store.sql.driver).toBe('postgres12');
      expect(store.sql.existingSecret).toBeTruthy();
      expect(store.sql.password).toBeUndefined();
    }
    expect(main.sql.database).not.toBe(visibility.sql.database);
    for (const off of ['elasticsearch', 'cassandra', 'mysql', 'postgresql']) expect(values[off].enabled, off).toBe(false);
  });

  it('is sized for Pis and exposes the Web UI on the LAN', () => {
    for (const svc of ['frontend', 'history', 'matching', 'worker']) {
      expect(values.server[svc].resources.limits.memory, svc).toMatch(/^(\d+Mi|1Gi)$/);
    }
    expect(values.server.config.numHistoryShards).toBeLessThanOrEqual(512);
    expect(values.web.enabled).toBe(true);
    expect(['LoadBalancer', 'NodePort'].includes(values.web.service.type) || values.web.ingress.enabled).toBe(true);
  });
});

describe('deploy/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(read('deploy/grafana-dashboard.json'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets?: Array<{ expr: string }> }) => (p.targets ?? []).map((t) => t.expr));

  it('has a panel for each of our metrics and the SDK schedule-to-start latency', () => {
    for (const name of Object.values(METRIC_NAMES))
      expect(
        exprs.some((e) => e.includes(name)),
        name,
      ).toBe(true);
    expect(exprs.some((e) => e.includes('temporal_workflow_task_schedule_to_start_latency'))).toBe(true);
  });

  it('has unique panel ids and non-overlapping grid positions', () => {
    const ids = dashboard.panels.map((p: { id: number }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels as Array<{ gridPos: { x: number; y: number; w: number; h: number } }>) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key), `overlap at ${key}`).toBe(false);
          cells.add(key);
        }
      }
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});

describe('.github/workflows/deploy.yml', () => {
  const workflow = parseYaml(read('.github/workflows/deploy.yml'));

  it('tests, then builds the arm64 image with buildx, then runs helm upgrade', () => {
    const { test, image, deploy } = workflow.jobs;
    expect(test.steps.some((s: { run?: string }) => s.run === 'npm test')).toBe(true);
    expect(image.needs).toBe('test');
    const build = image.steps.find((s: { uses?: string }) => s.uses?.startsWith('docker/build-push-action'));
    expect(build.with).toMatchObject({ file: 'Dockerfile.arm64', platforms: 'linux/arm64' });
    expect(image.steps.some((s: { uses?: string }) => s.uses?.startsWith('docker/setup-buildx-action'))).toBe(true);
    expect(deploy.needs).toBe('image');
    expect(
      deploy.steps.some((s: { run?: string }) => /helm upgrade --install quant-workflows helm\/quant-workflows/.test(s.run ?? '')),
    ).toBe(true);
  });

  it('passes secrets through env, never interpolated into scripts', () => {
    for (const job of Object.values(workflow.jobs) as Array<{ steps: Array<{ run?: string }> }>) {
      for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{\s*secrets\./);
    }
  });
});
