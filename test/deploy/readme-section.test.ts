/**
 * the README's deploy section against the files it describes: its build commands
 * name real Dockerfile targets and the tags the kustomizations deploy, its paths exist, the Secret it creates is the
 * one the Deployment mounts, its alert table is the rule file's, and its numbers are the manifests'.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './helpers/dockerfile.js';
import { readKustomization, render } from './helpers/kustomize.js';
import { ALERTS, DOCKERFILE, K8S_BASE, K8S_GPU, README_SECTION, REPO } from './helpers/paths.js';
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
    expect(text).toContain(`\`${cpu.env['TAAN_STATE_DIR']}\``);
    expect(text).toContain(`\`ENTRYPOINT ${JSON.stringify(cpu.entrypoint!.args).replace(/","/g, '", "')}\``);
  });
});
