/**
 * the README's deploy section against the files it describes: its build commands
 * name real Dockerfile targets and the tags the kustomizations deploy, its paths exist, the Secrets it creates are the
 * ones the Deployments read (tokens file, database URL), its alert table is the rule file's, and its numbers are the
 * manifests' and the server's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './helpers/dockerfile.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import { readKustomization, render, type Manifest } from './helpers/kustomize.js';
import { ALERTS, DOCKERFILE, K8S_BASE, K8S_DISTRIBUTED, K8S_GPU, README_SECTION, REPO } from './helpers/paths.js';
import { loadYaml } from './helpers/yaml-docs.js';

// The "## Deploy" section of README.md, up to the next top-level section.
const readme = readFileSync(README_SECTION, 'utf8');
const text = readme.slice(readme.indexOf('## Deploy'), readme.indexOf('\n## ', readme.indexOf('## Deploy') + 3));
const df = parseDockerfile(DOCKERFILE);
const tagOf = (dir: string): string => ((readKustomization(dir)['images'] as Array<{ newTag: string }>)[0]!).newTag;

describe('README deploy section', () => {
  it('says that no Docker engine runs here and how the checks run instead', () => {
    expect(text).toMatch(/No Docker engine runs/);
    expect(text).toContain('npx vitest run test/deploy');
  });

  it('builds real targets under the tags the manifests deploy', () => {
    const builds = [...text.matchAll(/^docker build (?:--target (\S+) )?-t taan-service:(\S+) \.\s/gm)].map((m) => ({ target: m[1] ?? df.stages.at(-1)!.name, tag: m[2]! }));
    expect(builds).toEqual([
      { target: 'cpu', tag: tagOf(K8S_BASE) },
      { target: 'gpu', tag: tagOf(K8S_GPU) },
    ]);
    for (const b of builds) expect(df.stages.map((s) => s.name)).toContain(b.target);
  });

  it('names only paths that exist', () => {
    const paths = new Set([...text.matchAll(/\b((?:deploy|docs|test)\/[\w./-]+[\w/])/g)].map((m) => m[1]!));
    expect(paths.size).toBeGreaterThan(5);
    for (const p of paths) expect(existsSync(path.join(REPO, p)), p).toBe(true);
    for (const m of text.matchAll(/kubectl apply -n \S+ -k (\S+)/g)) expect(existsSync(path.join(REPO, m[1]!, 'kustomization.yaml')), m[1]).toBe(true);
  });

  it('creates the Secret the Deployment mounts, with the key it reads', () => {
    const m = /create secret generic (\S+) --from-file=(\w+)=/.exec(text);
    expect(m).not.toBeNull();
    const deploy = render(K8S_BASE).find((x) => x.kind === 'Deployment')!;
    const volumes = (deploy['spec'] as { template: { spec: { volumes: Array<{ secret?: { secretName: string; items: Array<{ key: string }> } }> } } }).template.spec.volumes;
    const secret = volumes.find((v) => v.secret)!.secret!;
    expect(m![1]).toBe(secret.secretName);
    expect(secret.items.map((i) => i.key)).toEqual([m![2]]);
  });

  it('creates the database Secret the distributed overlay reads, with the key it reads, holding a postgres:// URL', () => {
    const m = /create secret generic (\S+) --from-literal=(\w+)='?(\S+?)'?$/m.exec(text);
    expect(m).not.toBeNull();
    const deploy = render(K8S_DISTRIBUTED).find((x) => x.kind === 'Deployment')!;
    const env = (deploy['spec'] as { template: { spec: { containers: Array<{ env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }> }> } } }).template.spec.containers[0]!.env;
    const ref = env.find((e) => e.name === 'TAAN_DATABASE_URL')?.valueFrom?.secretKeyRef;
    expect(ref).toEqual({ name: m![1], key: m![2] });
    expect(m![3]).toMatch(/^postgres(ql)?:\/\//);
  });

  it('quotes the distributed overlay\'s numbers and the lease default', () => {
    const ms = render(K8S_DISTRIBUTED);
    const spec = (kind: string): Record<string, unknown> => (ms.find((x: Manifest) => x.kind === kind)!['spec'] as Record<string, unknown>);
    const deploy = spec('Deployment') as { replicas: number; strategy: { rollingUpdate: { maxSurge: number; maxUnavailable: number } }; template: { spec: { volumes: Array<{ name: string; emptyDir?: { sizeLimit: string } }> } } };
    const hpa = spec('HorizontalPodAutoscaler');
    expect(text).toContain(`\`TAAN_JOB_LEASE_SECONDS\`, default ${DEFAULTS.jobLeaseSeconds}`);
    expect(text).toContain(`${deploy.replicas} replicas (the HorizontalPodAutoscaler between ${String(hpa['minReplicas'])} and ${String(hpa['maxReplicas'])})`);
    const { maxSurge, maxUnavailable } = deploy.strategy.rollingUpdate;
    expect(text).toContain(`\`maxSurge: ${maxSurge}\`, \`maxUnavailable: ${maxUnavailable}\``);
    const size = deploy.template.spec.volumes.find((v) => v.name === 'state')!.emptyDir!.sizeLimit;
    expect(text).toContain(`an emptyDir of ${size.replace(/^(\d+)(\w+)$/, '$1 $2')}`);
    expect(text).toContain(`\`minAvailable: ${String(spec('PodDisruptionBudget')['minAvailable'])}\``);
  });

  it('lists exactly the alerts of alerts.yml', () => {
    const rules = (loadYaml(ALERTS) as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    const listed = [...text.matchAll(/^\| `(Taan\w+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(rules);
  });

  it('quotes the manifests\' and the image\'s numbers', () => {
    const deploy = render(K8S_BASE).find((x) => x.kind === 'Deployment')!;
    const pod = (deploy['spec'] as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec;
    expect(text).toContain(`\`terminationGracePeriodSeconds\` is ${pod.terminationGracePeriodSeconds}`);
    const cm = render(K8S_BASE).find((x) => x.kind === 'ConfigMap')!['data'] as Record<string, string>;
    expect(text).toContain(`\`TAAN_SHUTDOWN_GRACE_SECONDS\` (${cm['TAAN_SHUTDOWN_GRACE_SECONDS']})`);
    expect(text).toContain(`\`TAAN_WORKERS=${cm['TAAN_WORKERS']}\``);
    const cpu = df.stages.find((s) => s.name === 'cpu')!;
    expect(text).toContain(`uid/gid ${cpu.user!.split(':')[0]}`);
    expect(text).toContain(`\`EXPOSE\` equals the default ports (${cpu.expose.join(', ')})`);
    expect(text).toContain(`docker run --rm ${cpu.expose.map((p) => `-p ${p}:${p}`).join(' ')} `);
    expect(text).toContain(`\`${cpu.env['TAAN_STATE_DIR']}\``);
    expect(text).toContain(`\`ENTRYPOINT ${JSON.stringify(cpu.entrypoint!.args).replace(/","/g, '", "')}\``);
  });
});
