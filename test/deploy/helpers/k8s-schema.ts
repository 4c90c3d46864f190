/**
 * Offline validation of Kubernetes manifests against the Kubernetes OpenAPI schemas, as shipped by the npm packages
 * kubernetes-models (core API groups) and @kubernetes-models/prometheus-operator (monitoring.coreos.com CRDs):
 *  1. the package's validator compiled from the OpenAPI schema (types, formats, enums, required fields);
 *  2. a strict pass over the same package's generated type declarations (no unknown fields), see ts-shapes.ts.
 */
import { TypeShapes, type ShapeImport } from './ts-shapes.js';
import { idOf, type Manifest } from './kustomize.js';

interface KindInfo {
  /** Module of the model class (runtime validator). */
  module: string;
  shape: ShapeImport;
}

/** The kinds deploy/k8s uses (and the PrometheusRule the README builds from alerts.yml). */
export const KINDS: Record<string, KindInfo> = Object.fromEntries(
  [
    ['v1', 'ConfigMap'],
    ['v1', 'Service'],
    ['v1', 'PersistentVolumeClaim'],
    ['v1', 'Secret'],
    ['apps/v1', 'Deployment'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['monitoring.coreos.com/v1', 'ServiceMonitor'],
    ['monitoring.coreos.com/v1', 'PrometheusRule'],
  ].map(([apiVersion, kind]) => {
    const pkg = apiVersion!.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
    const module = `${pkg}/${apiVersion}/${kind}`;
    return [`${apiVersion}/${kind}`, { module, shape: { from: module, name: `I${kind}` } }];
  }),
);

let shapes: TypeShapes | undefined;
function typeShapes(): TypeShapes {
  shapes ??= new TypeShapes(Object.fromEntries(Object.entries(KINDS).map(([k, info]) => [alias(k), info.shape])));
  return shapes;
}
const alias = (key: string): string => key.replace(/[^A-Za-z0-9]/g, '_');

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Every schema problem of one manifest; empty when valid. */
export async function schemaProblems(m: Manifest): Promise<string[]> {
  const key = `${m.apiVersion}/${m.kind}`;
  const info = KINDS[key];
  if (!info) return [`${idOf(m)}: no schema for ${key} (add it to KINDS in test/deploy/helpers/k8s-schema.ts)`];
  const problems: string[] = [];
  const mod = (await import(info.module)) as Record<string, ModelClass>;
  const Model = mod[m.kind];
  if (!Model) return [`${info.module} exports no ${m.kind}`];
  try {
    new Model(m).validate();
  } catch (err) {
    const details = (err as { errors?: Array<{ instancePath?: string; message?: string; params?: unknown }> }).errors;
    if (details?.length) problems.push(...details.map((d) => `${idOf(m)}${d.instancePath ?? ''}: ${d.message} ${JSON.stringify(d.params ?? {})}`));
    else problems.push(`${idOf(m)}: ${(err as Error).message}`);
  }
  problems.push(...typeShapes().check(alias(key), m).map((p) => `${idOf(m)} ${p}`));
  return problems;
}
