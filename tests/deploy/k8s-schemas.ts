/**
 * Offline validation of Kubernetes manifests against the OpenAPI-derived JSON
 * schemas bundled (as compiled validators) in the `kubernetes-models` npm
 * package, plus `@kubernetes-models/prometheus-operator` for ServiceMonitor.
 * Kubeconform would need its schemas downloaded, which this machine cannot do.
 *
 * What this catches: wrong types, missing required fields, bad enums and
 * quantities, unknown kinds/apiVersions. What it does not: unknown extra
 * fields (the upstream schemas allow additional properties), which the tests
 * cover by asserting the fields they care about.
 */
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Each test narrows the spec fields it checks; a full typing of every kind is not worth its weight here.
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** Parse a multi-document YAML stream; empty documents (comments only) are skipped. */
export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`YAML error: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

function modelModule(apiVersion: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

/**
 * Validate one object; throws with `Kind/name: <schema errors>`.
 *
 * @example
 *   for (const o of parseManifests(rendered)) await validateManifest(o);
 */
export async function validateManifest(object: K8sObject): Promise<void> {
  const where = `${object.kind}/${object.metadata?.name ?? '?'}`;
  if (!object.apiVersion || !object.kind) throw new Error(`${where}: apiVersion and kind are required`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelModule(object.apiVersion))) as Record<string, unknown>;
  } catch {
    throw new Error(`${where}: no schema for apiVersion ${object.apiVersion}`);
  }
  const Model = mod[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
  if (typeof Model !== 'function') throw new Error(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(object).validate();
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/**
 * Strict check (what kubeconform's `-strict` does): unknown or misspelt fields
 * anywhere in an object. Each manifest becomes an object literal typed with the
 * `kubernetes-models` interface of its kind, and the TypeScript compiler's
 * excess-property check reports any field the schema does not define. Returns
 * one message per problem (empty = clean). Takes a few seconds (one program).
 *
 * @example
 *   expect(strictCheckManifests(objects)).toEqual([]);
 */
export async function strictCheckManifests(objects: K8sObject[]): Promise<string[]> {
  const ts = await import('typescript');
  const { mkdirSync, rmSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  // Inside the repo's node_modules so the compiler resolves kubernetes-models from there.
  const dir = join(__dirname, '..', '..', 'node_modules', '.cache', `k8s-strict-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const names: string[] = [];
  objects.forEach((o, i) => {
    const iface = `I${o.kind}`;
    lines.push(`import type { ${iface} as T${i} } from '${modelModule(o.apiVersion)}/${o.kind}';`);
    names.push(`${o.kind}/${o.metadata?.name}`);
  });
  objects.forEach((o, i) => {
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(o)};`);
  });
  const file = join(dir, 'manifests.mts');
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const index = line - objects.length;
      return `${names[index] ?? '?'}: ${text.split('\n').slice(-1)[0]}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
