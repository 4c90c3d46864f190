/**
 * promtool, from Debian's `prometheus` package (installed by the test set-up, test/system-packages.ts): the reference
 * checker of rule files and the runner of their unit tests.
 */
import { spawnSync } from 'node:child_process';

export function promtool(args: string[], cwd?: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd, timeout: 120_000 });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}): install Debian's prometheus package`);
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
