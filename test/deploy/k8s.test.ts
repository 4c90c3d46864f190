/**
 * deploy/k8s: the base and the overlays (gpu, distributed) render (with this repository's renderer, identically to what
 * kustomize itself rendered into test/deploy/kustomize-golden), every rendered object is valid against the Kubernetes OpenAPI schemas
 * (kubernetes-models, strict about unknown fields), and the objects agree with the server they run: its config
 * validator accepts the pod's environment, probes hit the health service on the gRPC port, the grace period outlasts
 * the server's shutdown, the user and state directory are the image's, and one SQLite writer is never doubled: only a
 * pod whose store is PostgreSQL (TAAN_DATABASE_URL, the distributed overlay) runs as several replicas.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/config.js';
import { SERVICE_NAME } from '../../src/grpc/proto.js';
import { parseDockerfile, type Stage } from './helpers/dockerfile.js';
import { schemaProblems } from './helpers/k8s-schema.js';
import { asManifest, canonical, idOf, kustomizeGolden, readKustomization, render, type Manifest } from './helpers/kustomize.js';
import { ALERTS, DOCKERFILE, K8S_BASE, K8S_DISTRIBUTED, K8S_GPU } from './helpers/paths.js';
import { isRecord, loadYaml, loadYamlDocs, parseYamlDocs } from './helpers/yaml-docs.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  if (!isRecord(v)) throw new Error(`${what}: not an object`);
  return v;
};
const list = (v: unknown, what: string): Obj[] => {
  if (!Array.isArray(v)) throw new Error(`${what}: not a list`);
  return v.map((x, i) => obj(x, `${what}[${i}]`));
};

const dockerfile = parseDockerfile(DOCKERFILE);
const stage = (name: string): Stage => {
  const s = dockerfile.stages.find((x) => x.name === name);
  if (!s) throw new Error(`Dockerfile has no stage ${name}`);
  return s;
};

/** Each rendering with the Dockerfile target its image tag names. */
const RENDERINGS = [
  { name: 'base', dir: K8S_BASE, target: 'cpu', golden: 'base' },
  { name: 'gpu overlay', dir: K8S_GPU, target: 'gpu', golden: 'gpu' },
  { name: 'distributed overlay', dir: K8S_DISTRIBUTED, target: 'cpu', golden: 'distributed' },
] as const;

/**
 * Stand-ins for the values of the Secrets the pod reads through `valueFrom.secretKeyRef` (the Secrets are the
 * operator's, never rendered), by `<secret>/<key>`: shaped like what the operator puts there, so the server's config
 * validator judges the environment the pod really gets. A reference to any other Secret is an error.
 */
const SECRET_VALUES: Record<string, string> = {
  'taan-service-database/url': 'postgres://taan:placeholder@postgres.example:5432/taan',
};

function one(ms: Manifest[], kind: string): Manifest {
  const found = ms.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

function podSpec(ms: Manifest[]): Obj {
  return obj(obj(obj(one(ms, 'Deployment')['spec'], 'spec')['template'], 'template')['spec'], 'pod spec');
}

function container(ms: Manifest[]): Obj {
  const cs = list(podSpec(ms)['containers'], 'containers');
  expect(cs).toHaveLength(1);
  return cs[0]!;
}

/** Kubernetes quantities as numbers: cores for cpu, bytes for memory. */
function quantity(q: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  if (!m) throw new Error(`not a quantity: ${String(q)}`);
  const unit = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

/** The variables Kubernetes' service links add for a Service (pkg/kubelet/envvars). */
function serviceLinkEnv(svc: Manifest): Record<string, string> {
  const n = svc.metadata.name.toUpperCase().replace(/-/g, '_');
  const env: Record<string, string> = { [`${n}_SERVICE_HOST`]: '10.0.0.10' };
  const ports = list(obj(svc['spec'], 'spec')['ports'], 'ports');
  ports.forEach((p, i) => {
    const port = String(p['port']);
    const proto = String(p['protocol'] ?? 'TCP');
    if (i === 0) {
      env[`${n}_SERVICE_PORT`] = port;
      env[`${n}_PORT`] = `${proto.toLowerCase()}://10.0.0.10:${port}`;
    }
    if (p['name']) env[`${n}_SERVICE_PORT_${String(p['name']).toUpperCase().replace(/-/g, '_')}`] = port;
    const prefix = `${n}_PORT_${port}_${proto}`;
    Object.assign(env, { [prefix]: `${proto.toLowerCase()}://10.0.0.10:${port}`, [`${prefix}_PROTO`]: proto.toLowerCase(), [`${prefix}_PORT`]: port, [`${prefix}_ADDR`]: '10.0.0.10' });
  });
  return env;
}

/** The environment the server process sees in the pod: image ENV, envFrom ConfigMaps, env, service links. */
function podEnv(ms: Manifest[], image: Stage, opts: { serviceLinks?: boolean } = {}): Record<string, string> {
  const c = container(ms);
  const env: Record<string, string> = { ...image.env };
  const links = opts.serviceLinks ?? podSpec(ms)['enableServiceLinks'] !== false;
  if (links) for (const svc of ms.filter((m) => m.kind === 'Service')) Object.assign(env, serviceLinkEnv(svc));
  for (const from of list(c['envFrom'] ?? [], 'envFrom')) {
    const ref = obj(from['configMapRef'], 'envFrom[].configMapRef (only ConfigMaps are used)');
    const cm = ms.find((m) => m.kind === 'ConfigMap' && m.metadata.name === ref['name']);
    if (!cm) throw new Error(`envFrom names ConfigMap ${String(ref['name'])}, which is not rendered`);
    Object.assign(env, obj(cm['data'], 'data'));
  }
  for (const e of list(c['env'] ?? [], 'env')) {
    if (typeof e['value'] === 'string') env[String(e['name'])] = e['value'];
    else if (isRecord(e['valueFrom']) && isRecord(e['valueFrom']['fieldRef'])) env[String(e['name'])] = 'taan-service-7d9f8-abcde';
    else if (isRecord(e['valueFrom']) && isRecord(e['valueFrom']['secretKeyRef'])) {
      const ref = e['valueFrom']['secretKeyRef'];
      const value = SECRET_VALUES[`${String(ref['name'])}/${String(ref['key'])}`];
      if (value === undefined) throw new Error(`env ${String(e['name'])}: no stand-in for Secret ${String(ref['name'])} key ${String(ref['key'])}`);
      env[String(e['name'])] = value;
    } else throw new Error(`env ${String(e['name'])}: unsupported source`);
  }
  return env;
}

function serverConfig(ms: Manifest[], image: Stage): Config {
  const c = container(ms);
  const args = [...((c['command'] as string[] | undefined) ?? []), ...((c['args'] as string[] | undefined) ?? [])];
  expect(c['command'], 'the image ENTRYPOINT starts the server; the pod must not replace it').toBeUndefined();
  return loadConfig({ argv: args[0] === 'serve' ? args.slice(1) : args, env: podEnv(ms, image) });
}

function mountFor(c: Obj, mountPath: string): Obj | undefined {
  return list(c['volumeMounts'] ?? [], 'volumeMounts').find((m) => m['mountPath'] === mountPath);
}

function volume(ms: Manifest[], name: unknown): Obj {
  const v = list(podSpec(ms)['volumes'] ?? [], 'volumes').find((x) => x['name'] === name);
  if (!v) throw new Error(`no volume ${String(name)}`);
  return v;
}

function labelsMatch(selector: unknown, labels: unknown): boolean {
  const sel = obj(selector, 'selector');
  const lab = obj(labels, 'labels');
  return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => lab[k] === v);
}

describe.each(RENDERINGS)('deploy/k8s $name', ({ dir, target, golden }) => {
  const manifests = render(dir);
  const image = stage(target);

  it('renders the kinds an operator expects, each once (the state PersistentVolumeClaim only for embedded SQLite)', () => {
    const sqlite = serverConfig(manifests, image).databaseUrl === '';
    expect(manifests.map(idOf).sort()).toEqual(
      [
        'ConfigMap/taan-service-config',
        'Deployment/taan-service',
        'HorizontalPodAutoscaler/taan-service',
        ...(sqlite ? ['PersistentVolumeClaim/taan-service-state'] : []),
        'PodDisruptionBudget/taan-service',
        'Service/taan-service',
        'ServiceMonitor/taan-service',
      ].sort(),
    );
  });

  it('is valid against the Kubernetes OpenAPI schemas (kubernetes-models), with no unknown field', async () => {
    for (const m of manifests) expect(await schemaProblems(m), idOf(m)).toEqual([]);
  });

  it('renders identically to kustomize (its output kept in test/deploy/kustomize-golden; scripts/render-k8s-golden.sh)', () => {
    const theirs = kustomizeGolden(golden);
    const byId = (ms: Manifest[]): Record<string, unknown> => Object.fromEntries(ms.map((m) => [idOf(m), canonical(m)]));
    expect(byId(manifests), `${golden}.yaml is stale or our renderer differs: run scripts/render-k8s-golden.sh`).toEqual(byId(theirs));
  });

  it('gives the server an environment its own config validator accepts', () => {
    const config = serverConfig(manifests, image);
    expect(config.grpcHost).toBe('0.0.0.0');
    expect(config.metricsHost).toBe('0.0.0.0');
    expect(config.httpHost).toBe('0.0.0.0');
    expect(path.isAbsolute(config.stateDir)).toBe(true);
  });

  it('runs the image as built: tag = Dockerfile target, ENTRYPOINT kept, same user', () => {
    const c = container(manifests);
    expect(c['image']).toBe(`taan-service:${target}`);
    expect(c['args']).toBeUndefined();
    const [uid, gid] = (image.user ?? '').split(':');
    const pod = obj(podSpec(manifests)['securityContext'], 'pod securityContext');
    expect(pod['runAsNonRoot']).toBe(true);
    expect(String(pod['runAsUser'])).toBe(uid);
    expect(String(pod['runAsGroup'])).toBe(gid ?? uid);
    expect(String(pod['fsGroup'])).toBe(gid ?? uid);
    expect(obj(pod['seccompProfile'], 'seccompProfile')['type']).toBe('RuntimeDefault');
    const sc = obj(c['securityContext'], 'container securityContext');
    expect(sc['allowPrivilegeEscalation']).toBe(false);
    expect(sc['readOnlyRootFilesystem']).toBe(true);
    expect(obj(sc['capabilities'], 'capabilities')['drop']).toEqual(['ALL']);
    expect(podSpec(manifests)['automountServiceAccountToken']).toBe(false);
  });

  it('names the container ports after the configured gRPC, metrics and Open Inference Protocol REST ports, and the Service targets them by name', () => {
    const config = serverConfig(manifests, image);
    const ports = list(container(manifests)['ports'], 'ports');
    expect(ports.map((p) => [p['name'], p['containerPort']])).toEqual([
      ['grpc', config.grpcPort],
      ['metrics', config.metricsPort],
      ['http', config.httpPort],
    ]);
    const svc = obj(one(manifests, 'Service')['spec'], 'service spec');
    expect(list(svc['ports'], 'service ports').map((p) => [p['name'], p['port'], p['targetPort']])).toEqual([
      ['grpc', config.grpcPort, 'grpc'],
      ['metrics', config.metricsPort, 'metrics'],
      ['http', config.httpPort, 'http'],
    ]);
  });

  it('probes with native gRPC health checks: startup and readiness on taan.v1.TaanService, liveness on the server', () => {
    const config = serverConfig(manifests, image);
    const c = container(manifests);
    const grpcOf = (probe: string): Obj => obj(obj(c[probe], probe)['grpc'], `${probe}.grpc`);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(grpcOf(probe)['port'], probe).toBe(config.grpcPort);
      expect(Object.keys(obj(c[probe], probe)).filter((k) => ['httpGet', 'tcpSocket', 'exec'].includes(k)), probe).toEqual([]);
    }
    expect(grpcOf('startupProbe')['service']).toBe(SERVICE_NAME);
    expect(grpcOf('readinessProbe')['service']).toBe(SERVICE_NAME);
    expect(grpcOf('livenessProbe')['service'] ?? '').toBe('');
    // The startup probe covers worker start-up; liveness only takes over after it.
    const startup = obj(c['startupProbe'], 'startupProbe');
    expect(Number(startup['periodSeconds']) * Number(startup['failureThreshold'])).toBeGreaterThanOrEqual(120);
    expect(config.tlsCert, 'kubelet gRPC probes are plaintext: TLS belongs to the mesh here').toBe('');
  });

  it('gives SIGTERM more time than the server takes to stop (grace + its 10 s hard-exit margin)', () => {
    const config = serverConfig(manifests, image);
    const grace = Number(podSpec(manifests)['terminationGracePeriodSeconds']);
    expect(grace).toBeGreaterThan(config.shutdownGraceSeconds + 10);
    expect(image.stopsignal ?? 'SIGTERM').toBe('SIGTERM');
  });

  it('keeps state at the image\'s state directory: the PersistentVolumeClaim for SQLite, a per-pod emptyDir (a cache) with PostgreSQL; /tmp writable', () => {
    const config = serverConfig(manifests, image);
    expect(config.stateDir).toBe(image.env['TAAN_STATE_DIR']);
    const c = container(manifests);
    const stateMount = mountFor(c, config.stateDir);
    expect(stateMount, `a volume mounted at ${config.stateDir}`).toBeDefined();
    const state = volume(manifests, stateMount!['name']);
    let capacity: number;
    if (config.databaseUrl === '') {
      const claim = obj(state['persistentVolumeClaim'], 'state volume persistentVolumeClaim');
      const pvc = one(manifests, 'PersistentVolumeClaim');
      expect(pvc.metadata.name).toBe(claim['claimName']);
      capacity = quantity(obj(obj(obj(pvc['spec'], 'pvc spec')['resources'], 'resources')['requests'], 'requests')['storage']);
    } else {
      expect(Object.keys(state).sort(), 'the state volume is only an emptyDir').toEqual(['emptyDir', 'name']);
      capacity = quantity(obj(state['emptyDir'], 'state volume emptyDir')['sizeLimit']);
    }
    // Uploads land in the state dir (and models and checkpoints next to them): the volume must hold the upload quota.
    expect(capacity).toBeGreaterThan(config.maxUploadTotalBytes);
    const tmp = mountFor(c, '/tmp');
    expect(tmp && volume(manifests, tmp['name'])['emptyDir'], 'readOnlyRootFilesystem needs a writable /tmp').toBeDefined();
  });

  it('reads auth tokens from a Secret it references (the Secret itself is the operator\'s)', () => {
    const config = serverConfig(manifests, image);
    expect(config.authTokensFile).not.toBe('');
    const c = container(manifests);
    const mount = mountFor(c, path.posix.dirname(config.authTokensFile));
    expect(mount?.['readOnly']).toBe(true);
    const secret = obj(volume(manifests, mount!['name'])['secret'], 'tokens volume secret');
    expect(secret['secretName']).toBe('taan-service-tokens');
    expect(list(secret['items'], 'items').map((i) => i['path'])).toContain(path.posix.basename(config.authTokensFile));
    expect(secret['defaultMode']).toBe(0o440);
    expect(manifests.some((m) => m.kind === 'Secret'), 'tokens are never committed').toBe(false);
  });

  it('sizes resources for the configured workers (one tfjs instance each)', () => {
    const config = serverConfig(manifests, image);
    const res = obj(container(manifests)['resources'], 'resources');
    const requests = obj(res['requests'], 'requests');
    const limits = obj(res['limits'], 'limits');
    for (const r of ['cpu', 'memory']) {
      expect(quantity(requests[r]), r).toBeLessThanOrEqual(quantity(limits[r]));
    }
    expect(config.workers).toBeLessThanOrEqual(Math.ceil(quantity(limits['cpu'])));
    expect(quantity(limits['memory'])).toBeGreaterThanOrEqual((config.workers + 1) * 512 * 2 ** 20);
  });

  it('never runs two writers of the SQLite store: one replica, Recreate, HPA capped unless the store is PostgreSQL', () => {
    const config = serverConfig(manifests, image);
    const spec = obj(one(manifests, 'Deployment')['spec'], 'deployment spec');
    const hpa = obj(one(manifests, 'HorizontalPodAutoscaler')['spec'], 'hpa spec');
    expect(obj(hpa['scaleTargetRef'], 'scaleTargetRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: one(manifests, 'Deployment').metadata.name });
    expect(Number(hpa['minReplicas'])).toBeLessThanOrEqual(Number(hpa['maxReplicas']));
    expect(Number(spec['replicas'])).toBeGreaterThanOrEqual(Number(hpa['minReplicas']));
    expect(Number(spec['replicas'])).toBeLessThanOrEqual(Number(hpa['maxReplicas']));
    const strategy = obj(spec['strategy'], 'strategy');
    const severalPods = Number(spec['replicas']) > 1 || Number(hpa['maxReplicas']) > 1 || strategy['type'] !== 'Recreate';
    // Several pods at once (replicas, autoscaling, or old and new ones during a rolling update) exactly when the job
    // store is the shared PostgreSQL one, not SQLite in the state dir.
    expect(severalPods, `several pods at once, with TAAN_DATABASE_URL ${config.databaseUrl === '' ? 'unset' : 'set'}`).toBe(config.databaseUrl !== '');
    if (config.databaseUrl === '') {
      expect(Number(spec['replicas'])).toBe(1);
      expect(Number(hpa['maxReplicas'])).toBe(1);
      expect(strategy['type']).toBe('Recreate');
    }
    // The HPA's CPU target needs a CPU request to compute utilization against.
    expect(obj(obj(container(manifests)['resources'], 'resources')['requests'], 'requests')['cpu']).toBeDefined();
  });

  it('selects the same pods everywhere: Deployment, Service, PodDisruptionBudget; the budget never blocks a drain', () => {
    const deploy = obj(one(manifests, 'Deployment')['spec'], 'deployment spec');
    const podLabels = obj(obj(deploy['template'], 'template')['metadata'], 'template metadata')['labels'];
    expect(labelsMatch(obj(deploy['selector'], 'selector')['matchLabels'], podLabels)).toBe(true);
    expect(labelsMatch(obj(one(manifests, 'Service')['spec'], 'service spec')['selector'], podLabels)).toBe(true);
    const pdb = obj(one(manifests, 'PodDisruptionBudget')['spec'], 'pdb spec');
    expect(labelsMatch(obj(pdb['selector'], 'selector')['matchLabels'], podLabels)).toBe(true);
    const maxReplicas = Number(obj(one(manifests, 'HorizontalPodAutoscaler')['spec'], 'hpa')['maxReplicas']);
    const minReplicas = Number(obj(one(manifests, 'HorizontalPodAutoscaler')['spec'], 'hpa')['minReplicas']);
    if (pdb['minAvailable'] !== undefined) {
      expect(pdb['maxUnavailable'], 'a budget has minAvailable or maxUnavailable, not both').toBeUndefined();
      // Even at the HPA's minimum one pod can be evicted.
      expect(Number(pdb['minAvailable'])).toBeLessThan(minReplicas);
      expect(Number(pdb['minAvailable'])).toBeLessThan(maxReplicas);
    } else expect(Number(pdb['maxUnavailable'])).toBeGreaterThanOrEqual(1);
  });

  it('has the ServiceMonitor scrape the Service\'s metrics port, under the job name the alert rules use', () => {
    const svc = one(manifests, 'Service');
    const sm = obj(one(manifests, 'ServiceMonitor')['spec'], 'servicemonitor spec');
    expect(labelsMatch(obj(sm['selector'], 'selector')['matchLabels'], svc.metadata['labels'])).toBe(true);
    const endpoints = list(sm['endpoints'], 'endpoints');
    expect(endpoints.map((e) => [e['port'], e['path']])).toEqual([['metrics', '/metrics']]);
    // prometheus-operator names the job after the Service unless jobLabel says otherwise.
    expect(sm['jobLabel']).toBeUndefined();
    const alerts = readFileSync(ALERTS, 'utf8');
    const jobs = new Set([...alerts.matchAll(/job="([^"]+)"/g)].map((m) => m[1]));
    expect([...jobs]).toEqual([svc.metadata.name]);
  });
});

describe('deploy/k8s files', () => {
  it('lists every file of the base and the overlays in its kustomization', () => {
    for (const dir of [K8S_BASE, K8S_GPU, K8S_DISTRIBUTED]) {
      const k = readKustomization(dir);
      const named = new Set([
        ...((k['resources'] as string[] | undefined) ?? []),
        ...((k['patches'] as Array<{ path: string }> | undefined) ?? []).map((p) => p.path),
      ]);
      const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
      for (const f of files) expect(named.has(f), `${dir}/${f} is not in kustomization.yaml`).toBe(true);
    }
  });

  it('needs enableServiceLinks: false: the server refuses the TAAN_SERVICE_* variables service links would add', () => {
    const manifests = render(K8S_BASE);
    expect(podSpec(manifests)['enableServiceLinks']).toBe(false);
    expect(() => loadConfig({ argv: [], env: podEnv(manifests, stage('cpu'), { serviceLinks: true }) })).toThrow(ConfigError);
  });

  it('changes in the gpu overlay only what a GPU node needs', () => {
    const base = render(K8S_BASE);
    const gpu = render(K8S_GPU);
    const cfgBase = serverConfig(base, stage('cpu'));
    const cfgGpu = serverConfig(gpu, stage('gpu'));
    expect(cfgBase.backend).toBe('auto');
    expect(cfgGpu.backend).toBe('tensorflow');
    expect({ ...cfgGpu, backend: 'auto' }).toEqual(cfgBase);
    const limits = obj(obj(container(gpu)['resources'], 'resources')['limits'], 'limits');
    expect(Number(limits['nvidia.com/gpu'])).toBeGreaterThanOrEqual(1);
    expect(list(podSpec(gpu)['tolerations'], 'tolerations').some((t) => t['key'] === 'nvidia.com/gpu')).toBe(true);
    expect(podSpec(base)['tolerations']).toBeUndefined();
    const kinds = (ms: Manifest[]): unknown => ms.filter((m) => !['Deployment', 'ConfigMap'].includes(m.kind)).map((m) => canonical(m));
    expect(kinds(gpu)).toEqual(kinds(base));
  });

  it('changes in the distributed overlay only what scale-out needs', () => {
    const base = render(K8S_BASE);
    const dist = render(K8S_DISTRIBUTED);
    const cfgBase = serverConfig(base, stage('cpu'));
    const cfgDist = serverConfig(dist, stage('cpu'));
    expect(cfgBase.databaseUrl).toBe('');
    expect(cfgDist.databaseUrl).toMatch(/^postgres(ql)?:\/\//);
    expect({ ...cfgDist, databaseUrl: '' }).toEqual(cfgBase);
    // The URL (with its password) comes from the operator's Secret, which is never rendered.
    const dbEnv = list(container(dist)['env'], 'env').find((e) => e['name'] === 'TAAN_DATABASE_URL');
    expect(dbEnv?.['valueFrom']).toEqual({ secretKeyRef: { name: 'taan-service-database', key: 'url' } });
    expect(dist.some((m) => m.kind === 'Secret'), 'the database URL is never committed').toBe(false);

    // Several replicas, rolled one at a time without dropping below the current count.
    const spec = obj(one(dist, 'Deployment')['spec'], 'deployment spec');
    expect(Number(spec['replicas'])).toBeGreaterThanOrEqual(2);
    expect(spec['strategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const hpa = obj(one(dist, 'HorizontalPodAutoscaler')['spec'], 'hpa spec');
    expect(Number(hpa['minReplicas'])).toBeGreaterThanOrEqual(2);
    const pdb = obj(one(dist, 'PodDisruptionBudget')['spec'], 'pdb spec');
    expect(pdb['minAvailable']).toBe(1);
    expect(pdb['maxUnavailable']).toBeUndefined();
    expect(Number(pdb['minAvailable'])).toBeLessThan(Number(hpa['maxReplicas']));

    // The state dir is a per-pod cache: emptyDir, and no PersistentVolumeClaim.
    expect(volume(dist, 'state')['emptyDir']).toBeDefined();
    expect(dist.map(idOf).sort()).toEqual(base.map(idOf).filter((id) => !id.startsWith('PersistentVolumeClaim/')).sort());

    // Everything else as in the base.
    const same = (ms: Manifest[]): unknown => ms.filter((m) => ['ConfigMap', 'Service', 'ServiceMonitor'].includes(m.kind)).map((m) => canonical(m));
    expect(same(dist)).toEqual(same(base));
    const deployment = (ms: Manifest[]): unknown => {
      const d = structuredClone(one(ms, 'Deployment'));
      const s = obj(d['spec'], 'spec');
      delete s['replicas'];
      delete s['strategy'];
      const pod = obj(obj(s['template'], 'template')['spec'], 'pod spec');
      pod['volumes'] = list(pod['volumes'], 'volumes').filter((v) => v['name'] !== 'state');
      const c = list(pod['containers'], 'containers')[0]!;
      c['env'] = list(c['env'], 'env').filter((e) => e['name'] !== 'TAAN_DATABASE_URL');
      return canonical(d);
    };
    expect(deployment(dist)).toEqual(deployment(base));
    const without = (ms: Manifest[], kind: string, keys: string[]): unknown => {
      const m = structuredClone(one(ms, kind));
      for (const k of keys) delete obj(m['spec'], 'spec')[k];
      return canonical(m);
    };
    expect(without(dist, 'HorizontalPodAutoscaler', ['minReplicas', 'maxReplicas'])).toEqual(without(base, 'HorizontalPodAutoscaler', ['minReplicas', 'maxReplicas']));
    expect(without(dist, 'PodDisruptionBudget', ['minAvailable', 'maxUnavailable'])).toEqual(without(base, 'PodDisruptionBudget', ['minAvailable', 'maxUnavailable']));
  });

  it('renders a top-level $patch: delete and refuses every other $ directive (the renderer stays strict)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'taan-kustomize-'));
    try {
      const cm = (name: string, extra = ''): string => `${extra}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
      writeFileSync(path.join(dir, 'cms.yaml'), `${cm('a')}data:\n  x: "1"\n---\n${cm('b')}`);
      const kustomize = (patch: string): Manifest[] => {
        writeFileSync(path.join(dir, 'patch.yaml'), patch);
        writeFileSync(path.join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cms.yaml\npatches:\n  - path: patch.yaml\n');
        return render(dir);
      };
      expect(kustomize(cm('a', '$patch: delete\n')).map(idOf)).toEqual(['ConfigMap/b']);
      expect(() => kustomize(cm('a', '$patch: replace\n'))).toThrow(/\$patch: replace is not rendered here/);
      expect(() => kustomize(`${cm('a')}data:\n  $patch: replace\n  extra: "2"\n`)).toThrow(/\$patch is not rendered here/);
      expect(() => kustomize(cm('c', '$patch: delete\n'))).toThrow(/matches 0 resources/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wraps alerts.yml into a valid PrometheusRule the way the README shows', async () => {
    // { printf '...spec:\n'; sed 's/^/  /' deploy/prometheus/alerts.yml; } | kubectl apply -f -
    const header = 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: taan-service\nspec:\n';
    const body = readFileSync(ALERTS, 'utf8').split('\n').map((l) => `  ${l}`).join('\n');
    const rule = asManifest(parseYamlDocs(header + body, 'PrometheusRule')[0], 'PrometheusRule');
    expect(await schemaProblems(rule)).toEqual([]);
    expect(obj(rule['spec'], 'spec')['groups']).toEqual(obj(loadYaml(ALERTS), 'alerts')['groups']);
  });

  it('flags broken manifests (the validator is not a no-op)', async () => {
    const deploy = structuredClone(one(render(K8S_BASE), 'Deployment'));
    const c = obj(obj(obj(obj(deploy['spec'], 'spec')['template'], 't')['spec'], 's'), 'pod');
    const ctr = list(c['containers'], 'containers')[0]!;
    obj(ctr['readinessProbe'], 'probe')['perodSeconds'] = 5;
    list(ctr['ports'], 'ports')[0]!['containerPort'] = '50051';
    const problems = await schemaProblems(deploy);
    expect(problems.some((p) => p.includes('perodSeconds: unknown field'))).toBe(true);
    expect(problems.some((p) => p.includes('containerPort'))).toBe(true);
    expect(() => parseYamlDocs('a: 0440\nb: on\n')).toThrow(/YAML 1.1/);
    expect(loadYamlDocs(path.join(K8S_BASE, 'deployment.yaml'))).toHaveLength(1);
  });
});
