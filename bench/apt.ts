/**
 * The bench's Debian packages (the PyTorch peer and its BLAS, the Predict load generator), installed when missing
 * and possible (root with apt-get), so that one `npm run bench` on a fresh machine measures the same things.
 */
import { spawnSync } from 'node:child_process';

export function debInstalled(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Installs those of `packages` that are missing; returns false when some are missing and cannot be installed here. */
export function ensureDebPackages(packages: string[], why: string, log: (line: string) => void): boolean {
  const missing = packages.filter((p) => !debInstalled(p));
  if (missing.length === 0) return true;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    log(`${why}: ${missing.join(' ')} missing and apt-get is not available as root`);
    return false;
  }
  log(`${why}: installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env });
  return missing.every(debInstalled);
}
