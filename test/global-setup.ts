/**
 * Runs once before the test run: installs the Debian packages the tests need (test/system-packages.ts), builds the
 * native BLAS addon if `npm ci` ran before OpenBLAS was there (its install script then skips it) or its source changed
 * since it was built (a pull after `npm ci`), then builds dist/
 * (end-to-end tests start the real server process from it).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureTestPackages } from './system-packages.js';

export default function setup(): void {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  ensureTestPackages((line) => process.stderr.write(`${line}\n`));
  const addon = path.join(repo, 'native/blas/build/Release/taan_blas.node');
  const sources = ['native/blas/src/taan_blas.cc', 'native/blas/binding.gyp'].map((f) => statSync(path.join(repo, f)).mtimeMs);
  if (!existsSync(addon) || statSync(addon).mtimeMs < Math.max(...sources)) {
    execFileSync(process.execPath, [path.join(repo, 'native/blas/build.mjs'), '--strict'], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json')], { stdio: 'inherit' });
}
