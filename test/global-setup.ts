/**
 * Runs once before the test run: installs the Debian packages the tests need (test/system-packages.ts), then builds
 * dist/ (end-to-end tests start the real server process from it).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestPackages } from './system-packages.js';

export default function setup(): void {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  ensureTestPackages((line) => process.stderr.write(`${line}\n`));
  execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json')], { stdio: 'inherit' });
}
