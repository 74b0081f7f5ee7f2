/**
 * The Helm chart, rendered with a real `helm template` (helm built by
 * `go install`, see src/stack/go-tools.ts) for the dev and prod profiles:
 * every manifest validated offline against the Kubernetes schemas, the
 * properties a Pi cluster depends on asserted, and missing required values
 * failing with a message that names them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { HELM, resolveGoTool } from '../../src/stack/go-tools';
import { parseManifests, strictCheckManifests, validateManifest, type K8sObject } from './k8s-schemas';
import { parseSchedules } from '../../src/schedules/config';

const root = join(__dirname, '..', '..');
const chart = join(root, 'helm', 'quant-workflows');
const KUBE_VERSION = '1.31.0';
let helm: string;

beforeAll(() => {
  helm = resolveGoTool(HELM, { log: (m) => console.log(m) });
}, 1_200_000);

function helmTemplate(args: string[]): string {
  return execFileSync(helm, ['template', 'quant', chart, '--namespace', 'quant', '--kube-version', KUBE_VERSION, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** stderr of a render that must fail. */
function helmTemplateError(args: string[]): string {
  try {
    helmTemplate(args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error(`helm template ${args.join(' ')} succeeded but should have failed`);
}

const profiles = {
  dev: ['-f', join(chart, 'values-dev.yaml')],
  // The prod tag comes from CI; ServiceMonitor on so its template is validated too.
  prod: ['-f', join(chart, 'values-prod.yaml'), '--set', 'image.tag=0123abc', '--set', 'metrics.serviceMonitor.enabled=true'],
} as const;

function find(objects: K8sObject[], kind: string, nameSuffix = ''): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  expect(found, `${kind} *${nameSuffix}`).toHaveLength(1);
  return found[0];
}

function workerContainer(deployment: K8sObject) {
  return deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'worker');
}

/** Strings that must never show up in a rendered ConfigMap. */
const SECRETISH_KEY = /(DATABASE_URL|PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY)/i;
const URL_WITH_CREDENTIALS = /:\/\/[^/\s:@]+:[^@\s/]+@/;

describe.each(Object.entries(profiles))('helm template (%s profile)', (profile, args) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = parseManifests(helmTemplate([...args]));
  });

  it('renders only kinds we expect, each valid against the Kubernetes schemas', async () => {
    const kinds = objects.map((o) => o.kind).sort();
    const expected = ['ConfigMap', 'ConfigMap', 'Deployment', 'Job', 'NetworkPolicy', 'Service', 'ServiceAccount'];
    expected.push('Deployment', 'Service', 'NetworkPolicy'); // the execution service (api.enabled)
    if (profile === 'prod') expected.push('HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor');
    expect(kinds).toEqual(expected.sort());
    for (const object of objects) await validateManifest(object);
  });

  it('has no unknown or misspelt fields (strict schema check)', async () => {
    expect(await strictCheckManifests(objects)).toEqual([]);
  });

  it('passes helm lint', () => {
    execFileSync(helm, ['lint', '--strict', chart, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  });

  it('runs the worker on arm64 nodes as non-root with Pi-sized resources', () => {
    const deployment = find(objects, 'Deployment', '-worker');
    const pod = deployment.spec.template.spec;
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions).toContainEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const c = workerContainer(deployment);
    expect(c.image).toBe(`registry.lan:5000/quant-workflows:${profile === 'prod' ? '0123abc' : 'dev'}`);
    expect(c.args).toEqual(['worker']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    const { requests, limits } = c.resources;
    const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const mib = (q: string) => (q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.slice(0, -2)));
    // Pi 4 budgets from the issue: 100-500m CPU and 128-512Mi requested, up to 1.5Gi for the sentiment model.
    expect(cpu(requests.cpu)).toBeGreaterThanOrEqual(0.1);
    expect(cpu(requests.cpu)).toBeLessThanOrEqual(0.5);
    expect(mib(requests.memory)).toBeGreaterThanOrEqual(128);
    expect(mib(requests.memory)).toBeLessThanOrEqual(512);
    expect(mib(limits.memory)).toBeGreaterThanOrEqual(768);
    expect(mib(limits.memory)).toBeLessThanOrEqual(1536);
    expect(cpu(limits.cpu)).toBeLessThanOrEqual(2);
  });

  it('gives running activities time to finish and probes the metrics port', () => {
    const deployment = find(objects, 'Deployment', '-worker');
    const pod = deployment.spec.template.spec;
    const config = find(objects, 'ConfigMap', '-config');
    const grace = Number(config.data!.WORKER_SHUTDOWN_GRACE_SECONDS);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(grace);
    const c = workerContainer(deployment);
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
    expect(find(objects, 'Service', '-metrics').spec.ports[0]).toMatchObject({ name: 'metrics', port: 9464 });
  });

  it('takes secrets only from Secret references, never from values', () => {
    const c = workerContainer(find(objects, 'Deployment', '-worker'));
    const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
    expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: 'quant-db', key: 'DATABASE_URL' });
    expect(env.S3_ACCESS_KEY_ID.valueFrom.secretKeyRef).toEqual({ name: 'quant-minio', key: 'S3_ACCESS_KEY_ID' });
    expect(env.S3_SECRET_ACCESS_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-minio', key: 'S3_SECRET_ACCESS_KEY' });
    if (profile === 'prod') {
      expect(env.FINNHUB_API_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-news', key: 'FINNHUB_API_KEY', optional: true });
      expect(env.MARKETAUX_API_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-news', key: 'MARKETAUX_API_KEY', optional: true });
    }
    for (const e of c.env) expect(e.value, `env ${e.name} must come from a reference`).toBeUndefined();
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const [key, value] of Object.entries(cm.data ?? {})) {
        expect(key).not.toMatch(SECRETISH_KEY);
        expect(value).not.toMatch(URL_WITH_CREDENTIALS);
      }
    }
    const config = find(objects, 'ConfigMap', '-config').data!;
    expect(config).toMatchObject({
      QUANT_PROFILE: 'cluster',
      TEMPORAL_ADDRESS: 'temporal-frontend.temporal.svc.cluster.local:7233',
      OBJECT_STORE: 's3',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      SDK_METRICS_PORT: '9465',
      WORKFLOW_BUNDLE_PATH: '/app/dist/workflow-bundle.js',
      QUANT_SCHEDULES_FILE: '/etc/quant/schedules.yaml',
    });
  });

  it('runs `quant cluster init` as a post-install/post-upgrade hook with the same config', () => {
    const job = find(objects, 'Job', '-init');
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'post-install,post-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
    const c = job.spec.template.spec.containers[0];
    expect(c.args).toEqual(['cluster', 'init']);
    expect(c.envFrom).toEqual(workerContainer(find(objects, 'Deployment', '-worker')).envFrom);
    expect(c.volumeMounts).toContainEqual({ name: 'schedules', mountPath: '/etc/quant', readOnly: true });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('renders the schedules file: the six daily pipeline steps, the three of the model pipeline and the four intraday ones in prod, none in dev', () => {
    const text = find(objects, 'ConfigMap', '-schedules').data!['schedules.yaml'];
    // What `quant cluster init` reads: the rendered file passes the schedules schema (time zones included).
    expect(parseSchedules(text, 'schedules.yaml').length).toBe(profile === 'dev' ? 0 : 13);
    const file = parseYaml(text) as {
      schedules: Array<{ id: string; workflow: string; cron: string | string[]; timeZone?: string }>;
    };
    if (profile === 'dev') {
      expect(file.schedules).toEqual([]);
      return;
    }
    expect(file.schedules.map((s) => s.workflow)).toEqual([
      'ingest',
      'screen',
      'signal',
      'rebalance',
      'monitor',
      'backtest',
      'features',
      'models',
      'performance',
      'intradayData',
      'strategySignals',
      'portfolioRisk',
      'endOfDay',
    ]);
    const minuteHour = (cron: string) => cron.split(' ').slice(0, 2).join(' ');
    expect(file.schedules.map((s) => (typeof s.cron === 'string' ? minuteHour(s.cron) : s.cron.map(minuteHour)))).toEqual([
      '0 6',
      '0 7',
      '0 8',
      '0 9',
      '0 10',
      '0 11',
      '0 7',
      '30 8',
      '0 18',
      ['*/15 9-15', '0 16'],
      ['*/5 9-15', '0 16'],
      '0 9-16',
      '0 17',
    ]);
    expect(file.schedules.map((s) => s.timeZone ?? 'UTC')).toEqual([...Array(9).fill('UTC'), ...Array(4).fill('America/New_York')]);
    expect(new Set(file.schedules.map((s) => s.id)).size).toBe(13);
  });

  it('isolates the pods: no service-account token, a NetworkPolicy for ingress and egress', () => {
    expect(find(objects, 'Deployment', '-worker').spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    const policy = find(objects, 'NetworkPolicy', 'quant-workflows');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 9464, protocol: 'TCP' }]);
    const egressPorts = policy.spec.egress[0].ports.map((p: { port: number }) => p.port);
    expect(egressPorts).toEqual(expect.arrayContaining([53, 7233, 5432, 9000]));
  });

  it('runs the execution service as one pod (Recreate), on 0.0.0.0:8080 behind a Service, with a heap cap under its memory limit', () => {
    const deployment = find(objects, 'Deployment', '-api');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    const c = pod.containers[0];
    expect(c.args).toEqual(['api']);
    const env = Object.fromEntries(c.env.map((e: { name: string; value?: string }) => [e.name, e]));
    expect(env.API_HOST.value).toBe('0.0.0.0');
    expect(env.API_PORT.value).toBe('8080');
    expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: 'quant-db', key: 'DATABASE_URL' });
    expect(env.ALPACA_API_KEY).toBeUndefined(); // the paper venue needs no Alpaca secret
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS.value)![1]);
    const limitMib = Number(String(c.resources.limits.memory).replace('Mi', ''));
    expect(heapMb).toBeGreaterThan(64);
    expect(heapMb).toBeLessThan(limitMib * 0.6); // room for young generation, code and buffers under the limit
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const service = find(objects, 'Service', '-api');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 'http' });
    const policy = find(objects, 'NetworkPolicy', '-api');
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const config = find(objects, 'ConfigMap', '-config');
    expect(config.data).toMatchObject({ BROKER: 'paper', TRADING_MODE: 'paper' });
    expect(config.data!.ALPACA_LIVE_CONFIRM).toBeUndefined();
  });

  if (profile === 'prod') {
    it('scales on CPU and keeps workers through node drains', () => {
      const deployment = find(objects, 'Deployment', '-worker');
      expect(deployment.spec.replicas).toBeUndefined(); // owned by the HPA
      const hpa = find(objects, 'HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      const pdb = find(objects, 'PodDisruptionBudget');
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      const monitor = find(objects, 'ServiceMonitor');
      expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
    });
  }
});

describe('helm template with values missing', () => {
  const dev = profiles.dev;
  it.each([
    ['image.repository', ['--set', 'image.repository=']],
    ['image.tag', ['--set', 'image.tag=']],
    ['temporal.address', ['--set', 'temporal.address=']],
    ['secrets.database.existingSecret', ['--set', 'secrets.database.existingSecret=']],
    ['objectStore.endpoint', ['--set', 'objectStore.endpoint=']],
    ['secrets.objectStore.existingSecret', ['--set', 'secrets.objectStore.existingSecret=']],
  ])('fails naming %s', (name, args) => {
    const stderr = helmTemplateError([...dev, ...args]);
    expect(stderr).toContain(`${name} is required`);
  });

  it('fails for the bare chart (no profile) naming the first missing value', () => {
    expect(helmTemplateError([])).toContain('image.repository is required');
  });

  it('fails for prod without an image tag (CI must pass the git sha)', () => {
    expect(helmTemplateError(['-f', join(chart, 'values-prod.yaml')])).toContain('image.tag is required');
  });

  it('fails for an Alpaca venue without its Secret, and takes the Alpaca keys from it when given', () => {
    expect(helmTemplateError([...dev, '--set', 'config.broker.kind=alpaca'])).toContain('secrets.alpaca.existingSecret is required');
    expect(helmTemplateError([...dev, '--set', 'config.broker.kind=ibkr'])).toContain('config.broker.kind must be paper or alpaca');
    const objects = parseManifests(
      helmTemplate([...dev, '--set', 'config.broker.kind=alpaca', '--set', 'secrets.alpaca.existingSecret=quant-alpaca']),
    );
    const c = find(objects, 'Deployment', '-api').spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
    expect(env.ALPACA_API_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-alpaca', key: 'ALPACA_API_KEY' });
    expect(env.ALPACA_SECRET_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-alpaca', key: 'ALPACA_SECRET_KEY' });
    expect(find(objects, 'ConfigMap', '-config').data!.BROKER).toBe('alpaca');
  });

  it('takes the alert webhook URL from its Secret when one is named', () => {
    const objects = parseManifests(helmTemplate([...dev, '--set', 'secrets.alerts.existingSecret=quant-alerts']));
    const env = Object.fromEntries(workerContainer(find(objects, 'Deployment', '-worker')).env.map((e: { name: string }) => [e.name, e]));
    expect(env.ALERT_WEBHOOK_URL.valueFrom.secretKeyRef).toEqual({ name: 'quant-alerts', key: 'ALERT_WEBHOOK_URL' });
  });

  it('takes the Polygon key from its Secret when one is named', () => {
    const objects = parseManifests(
      helmTemplate([
        ...dev,
        '--set',
        'config.extraEnv.MARKET_DATA_PROVIDER=polygon',
        '--set',
        'secrets.polygon.existingSecret=quant-polygon',
      ]),
    );
    expect(find(objects, 'ConfigMap', '-config').data!.MARKET_DATA_PROVIDER).toBe('polygon');
    const env = Object.fromEntries(workerContainer(find(objects, 'Deployment', '-worker')).env.map((e: { name: string }) => [e.name, e]));
    expect(env.POLYGON_API_KEY.valueFrom.secretKeyRef).toEqual({ name: 'quant-polygon', key: 'POLYGON_API_KEY' });
  });

  it('turns MLflow tracking on by its URL, with credentials only from a Secret', () => {
    const off = parseManifests(helmTemplate([...dev]));
    expect(find(off, 'ConfigMap', '-config').data!.MLFLOW_TRACKING_URI).toBeUndefined();
    const objects = parseManifests(
      helmTemplate([
        ...dev,
        '--set',
        'config.mlflow.trackingUri=http://mlflow.mlops:5000',
        '--set',
        'secrets.mlflow.existingSecret=quant-mlflow',
      ]),
    );
    expect(find(objects, 'ConfigMap', '-config').data!.MLFLOW_TRACKING_URI).toBe('http://mlflow.mlops:5000');
    const env = Object.fromEntries(workerContainer(find(objects, 'Deployment', '-worker')).env.map((e: { name: string }) => [e.name, e]));
    for (const name of ['MLFLOW_TRACKING_TOKEN', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD'])
      expect(env[name].valueFrom.secretKeyRef).toEqual({ name: 'quant-mlflow', key: name, optional: true });
  });

  it('refuses a secret-looking extra env var in values', () => {
    expect(helmTemplateError([...dev, '--set', 'config.extraEnv.FINNHUB_API_KEY=abc'])).toContain(
      'config.extraEnv.FINNHUB_API_KEY looks like a secret',
    );
  });
});

describe('values files', () => {
  it('hold no secret values, only Secret names and keys', () => {
    for (const file of ['values.yaml', 'values-dev.yaml', 'values-prod.yaml']) {
      const text = readFileSync(join(chart, file), 'utf8');
      expect(text, file).not.toMatch(URL_WITH_CREDENTIALS);
      const walk = (node: unknown, path: string): void => {
        if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
        } else if (/(password|token|secretAccessKey|apiKey|secretKey)$/i.test(path) && typeof node === 'string' && node !== '') {
          // By the field's own name: `secrets.mlflow.tokenKey: MLFLOW_TRACKING_TOKEN` names a key inside a Secret.
          throw new Error(`${file}: ${path} looks like a secret value`);
        }
      };
      walk(parseYaml(text), '');
    }
  });
});
