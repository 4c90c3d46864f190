#!/usr/bin/env node
// Builds the native BLAS addon (native/blas: node-addon-api + Debian's OpenBLAS found with pkg-config) with node-gyp.
// Run by `npm ci` / `npm install` (the package's `install` script) and by hand after installing OpenBLAS:
//
//   apt-get install -y libopenblas-dev pkg-config && npm run build:native
//
// It never fails the install: without OpenBLAS (a fresh machine, another platform) or when the compile fails, it
// prints one line saying why and exits 0, and the service runs on tfjs-wasm (src/model/blas.ts finds no addon).
// TAAN_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'native', 'blas');
const strict = process.argv.includes('--strict');

function done(ok, message) {
  process.stderr.write(`taan: native BLAS addon ${ok ? 'built' : 'not built'}: ${message}\n`);
  process.exit(ok || !strict ? 0 : 1);
}

if (process.env.TAAN_SKIP_NATIVE === '1') done(false, 'TAAN_SKIP_NATIVE=1; the service will run on tfjs-wasm');
if (process.platform !== 'linux') done(false, `${process.platform} is not supported (Linux with OpenBLAS only); the service will run on tfjs-wasm`);
const pc = spawnSync('pkg-config', ['--exists', 'openblas'], { stdio: 'ignore' });
if (pc.error || pc.status !== 0) {
  done(false, 'pkg-config finds no openblas (apt-get install -y libopenblas-dev pkg-config, then npm run build:native); the service will run on tfjs-wasm');
}

// node-gyp: the one npm passes to scripts, else the one bundled with the npm beside this node.
const candidates = [
  process.env.npm_config_node_gyp,
  path.resolve(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  path.resolve(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
].filter((p) => p && existsSync(p));
if (!candidates.length) done(false, 'node-gyp not found; the service will run on tfjs-wasm');

// Node's headers: npm's `nodedir` setting, else the ones installed with this node (no download: machines here
// reach no host but the package registries).
const args = [candidates[0], 'rebuild', '--release'];
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : '');
if (nodedir) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
if (r.status !== 0) {
  rmSync(path.join(dir, 'build'), { recursive: true, force: true });
  const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ');
  done(false, `node-gyp failed (${tail || r.error?.message || `exit ${r.status}`}); the service will run on tfjs-wasm`);
}
done(true, path.relative(root, path.join(dir, 'build', 'Release', 'taan_blas.node')));
