/**
 * The Dockerfile's facts, offline (no Docker engine runs on these machines): it lints clean, the default target is
 * the CPU image on Node 20 slim and `gpu` a CUDA 11.2 + cuDNN 8 image, both run as a non-root numeric user, start
 * the server in exec form with what `npm start` serves, expose the configured default ports, and carry exactly what
 * the server needs at run time: that last part is proven by laying out the runtime stage's files as its COPY lines
 * say and starting the server from them.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/defaults.js';
import { SERVICE_NAME } from '../../src/grpc/proto.js';
import { healthStatus } from '../helpers/probes.js';
import { containerArgv, dockerignoreMatcher, parseDockerfile, type Stage } from './helpers/dockerfile.js';
import { DOCKERFILE, DOCKERIGNORE, REPO } from './helpers/paths.js';

const df = parseDockerfile(DOCKERFILE);
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
const stage = (name: string): Stage => {
  const s = df.stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
const RUNTIME_TARGETS = ['cpu', 'gpu'] as const;

/** `npm start` split at `&&`: the steps before the last prepare, the last one serves. */
function startScript(): { prepare: string[]; serve: string[] } {
  const steps = pkg.scripts['start']!.split('&&').map((s) => s.trim());
  return { prepare: steps.slice(0, -1), serve: steps.at(-1)!.split(/\s+/) };
}

/** The stage a runtime stage's node_modules come from. */
function nodeModulesSource(s: Stage): Stage {
  const copy = s.copies.find((c) => c.destAbs === path.posix.join(s.workdir, 'node_modules'));
  if (!copy?.from) throw new Error(`${s.name}: node_modules must come from a deps stage (COPY --from=...)`);
  return stage(copy.from);
}

describe('Dockerfile', () => {
  it('lints clean (dockerfile-utils, the VS Code Docker linter)', () => {
    const diagnostics = validate(df.text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(diagnostics).toEqual([]);
  });

  it('builds the CPU image by default (the last stage) on Node 20 slim, and a gpu target on CUDA 11.2 + cuDNN 8', () => {
    const last = df.stages.at(-1)!;
    expect(last.name).toBe('cpu');
    const nodeMajor = Number(/\d+/.exec(pkg.engines.node)![0]);
    expect(df.args['NODE_VERSION']).toBe(String(nodeMajor));
    expect(last.image).toBe(`node:${nodeMajor}-bookworm-slim`);
    expect(stage('gpu').image).toMatch(/^nvidia\/cuda:11\.2(\.\d+)?-cudnn8-runtime-ubuntu\d+\.\d+$/);
    // The CUDA image gets the same Node binary as the CPU one.
    expect(stage('gpu').copies).toContainEqual(expect.objectContaining({ from: 'node-bin', sources: ['/usr/local/bin/node'] }));
    expect(stage('node-bin').image).toBe(last.image);
  });

  it('compiles in a build stage: npm ci, then `npm run build` with the files tsc needs', () => {
    const build = stage('build');
    expect(build.runs.some((r) => /^npm ci\b/.test(r))).toBe(true);
    for (const step of startScript().prepare) expect(build.runs, `npm start's "${step}" runs at image build time`).toContain(step);
    const buildScript = pkg.scripts['build']!;
    const tsconfig = /-p\s+(\S+)/.exec(buildScript)?.[1];
    expect(tsconfig).toBeDefined();
    const cfg = JSON.parse(readFileSync(path.join(REPO, tsconfig!), 'utf8')) as { extends?: string; include?: string[] };
    const copied = build.copies.filter((c) => !c.from).flatMap((c) => c.sources);
    for (const need of [tsconfig!, ...(cfg.extends ? [cfg.extends.replace(/^\.\//, '')] : []), ...(cfg.include ?? []), 'package.json', 'package-lock.json']) {
      expect(copied, `build stage copies ${need}`).toContain(need);
    }
  });

  it.each(RUNTIME_TARGETS)('%s: production dependencies from `npm ci --omit=dev` in a stage that can compile native addons', (target) => {
    const deps = nodeModulesSource(stage(target));
    expect(deps.runs.some((r) => /npm ci\b[^&]*--omit=dev/.test(r)), `${deps.name} runs npm ci --omit=dev`).toBe(true);
    const canCompile = /^node:\d+-bookworm$/.test(deps.image) || deps.runs.some((r) => /apt-get install[^&]*\bpython3\b[^&]*\bmake\b[^&]*\bg\+\+/.test(r));
    expect(canCompile, `${deps.name}: python3, make and g++ for node-gyp (better-sqlite3)`).toBe(true);
    // package.json's install script builds the native BLAS addon from native/blas.
    expect(deps.copies.filter((c) => !c.from).flatMap((c) => c.sources).sort()).toEqual(['native/blas', 'package-lock.json', 'package.json']);
  });

  it.each(RUNTIME_TARGETS)('%s: carries OpenBLAS and the native BLAS addon, built in the deps stage (the build fails without it)', (target) => {
    const s = stage(target);
    const deps = nodeModulesSource(s);
    expect(pkg.scripts['install'], 'npm ci builds the addon').toMatch(/native\/blas\/build\.mjs/);
    expect(deps.runs.some((r) => /apt-get install[^&]*\blibopenblas-dev\b/.test(r) && /apt-get install[^&]*\bpkg-config\b/.test(r)), `${deps.name} installs libopenblas-dev and pkg-config`).toBe(true);
    const npmCi = deps.runs.findIndex((r) => /npm ci\b/.test(r));
    const check = deps.runs.findIndex((r) => r.includes('test -f native/blas/build/Release/taan_blas.node'));
    expect(check, `${deps.name} fails without the addon`).toBeGreaterThan(npmCi);
    expect(s.runs.some((r) => /apt-get install[^&]*\blibopenblas0-pthread\b/.test(r)), `${target} installs libopenblas0-pthread`).toBe(true);
    const native = s.copies.find((c) => c.from === deps.name && c.sources.includes(path.posix.join(deps.workdir, 'native')));
    expect(native?.destAbs, `${target} copies native/ from ${deps.name}`).toBe(path.posix.join(s.workdir, 'native'));
    // src/model/blas.ts loads ../../native/blas/build/Release/taan_blas.node relative to dist/model.
    expect(path.posix.resolve(s.workdir, 'dist/model', '../../native')).toBe(native!.destAbs);
  });

  it('installs @tensorflow/tfjs-node-gpu in the gpu image (and fails the build without it), and leaves it out of the CPU image', () => {
    const gpuDeps = nodeModulesSource(stage('gpu'));
    expect(gpuDeps.runs.some((r) => r.includes('test -d node_modules/@tensorflow/tfjs-node-gpu'))).toBe(true);
    const cpuDeps = nodeModulesSource(stage('cpu'));
    expect(cpuDeps.runs.some((r) => r.includes('rm -rf node_modules/@tensorflow/tfjs-node-gpu'))).toBe(true);
    expect(Object.keys((JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> }).optionalDependencies)).toContain('@tensorflow/tfjs-node-gpu');
  });

  it.each(RUNTIME_TARGETS)('%s: runs as a non-root numeric user that the stage creates, owning the state directory', (target) => {
    const s = stage(target);
    const [uid, gid] = (s.user ?? '').split(':');
    expect(uid, 'USER uid').toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(gid ?? uid).toMatch(/^[1-9]\d*$/);
    expect(s.runs.some((r) => new RegExp(`useradd\\b[^&]*--uid ${uid}\\b`).test(r))).toBe(true);
    const stateDir = s.env['TAAN_STATE_DIR'];
    expect(stateDir && path.posix.isAbsolute(stateDir)).toBeTruthy();
    expect(s.runs.some((r) => r.includes(`mkdir -p ${stateDir}`) && new RegExp(`chown ${uid}:${gid ?? uid} ${stateDir}`).test(r))).toBe(true);
    // USER comes after every RUN that needs root.
    const kws = s.instructions.map((i) => i.getKeyword());
    expect(kws.lastIndexOf('RUN')).toBeLessThan(kws.indexOf('USER'));
  });

  it.each(RUNTIME_TARGETS)('%s: exposes exactly the default gRPC, metrics and Open Inference Protocol REST ports', (target) => {
    expect(stage(target).expose.map(Number).sort((a, b) => a - b)).toEqual([DEFAULTS.grpcPort, DEFAULTS.metricsPort, DEFAULTS.httpPort].sort((a, b) => a - b));
    // The image sets no TAAN_*_HOST: the defaults bind every interface, so the published ports reach the server.
    const s = stage(target);
    for (const host of [s.env['TAAN_GRPC_HOST'] ?? DEFAULTS.grpcHost, s.env['TAAN_METRICS_HOST'] ?? DEFAULTS.metricsHost, s.env['TAAN_HTTP_HOST'] ?? DEFAULTS.httpHost]) expect(host).toBe('0.0.0.0');
  });

  it.each(RUNTIME_TARGETS)('%s: starts what `npm start` serves, in exec form, so node is PID 1 and gets SIGTERM', (target) => {
    const s = stage(target);
    expect(s.entrypoint?.exec, 'ENTRYPOINT in exec (JSON) form').toBe(true);
    if (s.cmd) expect(s.cmd.exec, 'CMD in exec (JSON) form').toBe(true);
    expect(containerArgv(s)).toEqual(startScript().serve);
    expect(startScript().serve).toEqual(['node', 'dist/main.js']);
    expect(s.stopsignal ?? 'SIGTERM').toBe('SIGTERM');
  });

  it.each(RUNTIME_TARGETS)('%s: carries dist/ (built), proto/, package.json and package-lock.json', (target) => {
    const s = stage(target);
    const at = (rel: string): (typeof s.copies)[number] | undefined => s.copies.find((c) => c.destAbs === path.posix.join(s.workdir, rel) || (c.destAbs === s.workdir && c.sources.includes(rel)));
    expect(at('dist')?.from).toBe('build');
    expect(at('dist')?.sources).toEqual([path.posix.join(stage('build').workdir, 'dist')]);
    expect(at('proto')).toBeDefined();
    expect(at('package.json')).toBeDefined();
    expect(at('package-lock.json')).toBeDefined();
    // The server loads the proto from ../../proto relative to dist/grpc, i.e. <workdir>/proto.
    expect(path.posix.resolve(s.workdir, 'dist/grpc', '../../proto')).toBe(path.posix.join(s.workdir, 'proto'));
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignoreMatcher(readFileSync(DOCKERIGNORE, 'utf8'));

  it('keeps local build output, state and scratch out of the context', () => {
    for (const p of ['node_modules', 'node_modules/x/index.js', 'src/node_modules', 'dist', 'dist/main.js', 'native/blas/build', 'native/blas/build/Release/taan_blas.node', 'var', 'var/jobs.db', 'test-artifacts', 'scratch', '.git', '.git/HEAD']) {
      expect(ignored(p), p).toBe(true);
    }
  });

  it('lets in every file the Dockerfile copies from the context', () => {
    const sources = df.stages.flatMap((s) => s.copies.filter((c) => !c.from).flatMap((c) => c.sources));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of new Set(sources)) {
      expect(existsSync(path.join(REPO, src)), `${src} exists`).toBe(true);
      expect(ignored(src), `${src} is not ignored`).toBe(false);
    }
    for (const p of ['src/main.ts', 'proto/taan/v1/taan.proto']) expect(ignored(p), p).toBe(false);
  });
});

/** Every path under `dir`, relative to it, without following symlinks (node_modules is one) or entering `skip`. */
function tree(dir: string, skip: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = path.join(rel, e.name);
    if (p === skip) continue;
    out.push(p);
    if (e.isDirectory()) out.push(...tree(dir, skip, p));
  }
  return out.sort();
}

describe('the CPU image\'s file layout, run without Docker', () => {
  it('serves (health SERVING, /metrics, /v2/health/ready) and stops cleanly on SIGTERM from exactly what the runtime stage copies', async () => {
    const s = stage('cpu');
    const root = mkdtempSync(path.join(tmpdir(), 'taan-image-'));
    const inImage = (p: string): string => path.join(root, p);
    // Each COPY: a path under the source stage's WORKDIR (or the context) is the same path in this repository
    // (node_modules from the deps stage, dist/ from the build stage's `npm run build`, built by global-setup here).
    for (const c of s.copies) {
      for (const src of c.sources) {
        const from = c.from ? stage(c.from) : undefined;
        const rel = from ? path.posix.relative(from.workdir, src) : src;
        expect(rel.startsWith('..'), `${src} lies in ${c.from}'s WORKDIR`).toBe(false);
        const repoPath = path.join(REPO, rel);
        expect(existsSync(repoPath), `${rel} exists in the repository`).toBe(true);
        const dest = c.dest.endsWith('/') || c.sources.length > 1 ? path.posix.join(c.destAbs, path.posix.basename(src)) : c.destAbs;
        mkdirSync(path.dirname(inImage(dest)), { recursive: true });
        if (rel === 'node_modules') symlinkSync(repoPath, inImage(dest), 'dir');
        else cpSync(repoPath, inImage(dest), { recursive: true });
      }
    }
    const stateDir = inImage(s.env['TAAN_STATE_DIR']!);
    mkdirSync(stateDir, { recursive: true });
    // readOnlyRootFilesystem in deploy/k8s: the server may write only to the state volume (and /tmp).
    const home = /--home-dir (\S+)/.exec(s.runs.join('\n'))?.[1] ?? s.workdir;
    const stateRel = path.relative(root, stateDir);
    const before = tree(root, stateRel);
    const [cmd, ...args] = containerArgv(s);
    expect(cmd).toBe('node');
    const child = spawn(process.execPath, args, {
      cwd: inImage(s.workdir),
      env: { PATH: process.env['PATH'] ?? '', HOME: inImage(home), ...s.env, TAAN_STATE_DIR: stateDir, TAAN_GRPC_HOST: '127.0.0.1', TAAN_GRPC_PORT: '0', TAAN_METRICS_HOST: '127.0.0.1', TAAN_METRICS_PORT: '0', TAAN_HTTP_HOST: '127.0.0.1', TAAN_HTTP_PORT: '0', TAAN_WORKERS: '2', TAAN_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ports = await new Promise<{ grpcPort: number; metricsPort: number; httpPort: number }>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          try {
            const rec = JSON.parse(line) as Record<string, unknown>;
            if (rec['msg'] === 'taan-service serving') resolve({ grpcPort: rec['grpcPort'] as number, metricsPort: rec['metricsPort'] as number, httpPort: rec['httpPort'] as number });
          } catch {
            // not a log line
          }
        }
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before serving: ${stderr}`)));
    });
    try {
      const address = `127.0.0.1:${ports.grpcPort}`;
      expect(await healthStatus(address)).toBe('SERVING');
      expect(await healthStatus(address, SERVICE_NAME)).toBe('SERVING');
      const metrics = await (await fetch(`http://127.0.0.1:${ports.metricsPort}/metrics`)).text();
      expect(metrics).toContain('taan_job_queue_depth');
      const ready = await fetch(`http://127.0.0.1:${ports.httpPort}/v2/health/ready`);
      expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
      expect(existsSync(path.join(stateDir, 'jobs.db')), 'state goes to TAAN_STATE_DIR').toBe(true);
    } finally {
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan((DEFAULTS.shutdownGraceSeconds + 10) * 1000);
    }
    expect(tree(root, stateRel), 'files written outside TAAN_STATE_DIR').toEqual(before);
  });
});
