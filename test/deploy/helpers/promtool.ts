/**
 * promtool, from Debian's `prometheus` package (.ci/run installs it): the reference checker of rule files and the
 * runner of their unit tests. Missing on a developer's machine, its checks are skipped there; under CI (CI=true) or
 * with TAAN_REQUIRE_PROMTOOL=1 a missing promtool fails the tests instead.
 */
import { spawnSync } from 'node:child_process';

export const PROMTOOL_REQUIRED = process.env['CI'] === 'true' || process.env['TAAN_REQUIRE_PROMTOOL'] === '1';

function probe(): boolean {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

export const HAVE_PROMTOOL = probe();

export function promtool(args: string[], cwd?: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd, timeout: 120_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
