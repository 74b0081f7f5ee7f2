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
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
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
