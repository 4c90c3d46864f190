/**
 * Debian packages that the test suite and the bench need, installed when missing and possible (root with apt-get),
 * so that `npm test` and `npm run bench` on a fresh machine of this kind need no set-up step of their own.
 */
import { spawnSync, type StdioOptions } from 'node:child_process';

export function debInstalled(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

export function canInstallDebPackages(): boolean {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs those of `packages` that are missing; returns false when some are missing and cannot be installed here.
 * `verbose` shows apt's own output (a first install of the test packages takes a minute or two).
 */
export function ensureDebPackages(packages: string[], why: string, log: (line: string) => void, verbose = false): boolean {
  const missing = packages.filter((p) => !debInstalled(p));
  if (missing.length === 0) return true;
  if (!canInstallDebPackages()) {
    log(`${why}: ${missing.join(' ')} missing and apt-get is not available as root`);
    return false;
  }
  log(`${why}: installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const stdio: StdioOptions = verbose ? ['ignore', 'inherit', 'inherit'] : 'ignore';
  spawnSync('apt-get', ['update', '-qq'], { stdio, env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio, env });
  return missing.every(debInstalled);
}
