/**
 * The full reliability campaign, one after the other against fresh server processes on loopback (`npm run campaign`,
 * which builds dist/ first): fuzzing with 10,000 requests, the crash trial with 20 kill -9 and restarts, and the
 * 10-minute soak. Prints each summary as it finishes, then one line per campaign, and exits non-zero if any failed.
 * Flags shrink or pick campaigns: --fuzz-requests N, --kills N, --soak-seconds N (--soak-warmup N for short soaks),
 * --only fuzz,crash,soak, --seed N.
 */
import { parseArgs } from 'node:util';
import { crashTrial } from './crash-trial.js';
import { fuzz } from './fuzz.js';
import { soak } from './soak.js';

const { values } = parseArgs({
  options: {
    'fuzz-requests': { type: 'string', default: '10000' },
    kills: { type: 'string', default: '20' },
    'soak-seconds': { type: 'string', default: '600' },
    'soak-warmup': { type: 'string', default: '0' },
    only: { type: 'string', default: 'fuzz,crash,soak' },
    seed: { type: 'string', default: '1' },
  },
});
const only = new Set(values.only.split(','));
const seed = Number(values.seed);
const log = (l: string): void => void process.stderr.write(`${l}\n`);
const verdicts: Array<{ campaign: string; ok: boolean; seconds: number; failures: string[] }> = [];

function print(campaign: string, summary: unknown): void {
  process.stdout.write(`\n=== ${campaign} ===\n${JSON.stringify(summary, null, 2)}\n`);
}

async function timed<T>(campaign: string, run: () => Promise<T>, judge: (r: T) => string[], show: (r: T) => unknown): Promise<void> {
  log(`campaign: ${campaign} ...`);
  const t0 = Date.now();
  let failures: string[];
  try {
    const r = await run();
    failures = judge(r);
    print(campaign, show(r));
  } catch (err) {
    failures = [`threw: ${(err as Error).stack ?? String(err)}`];
    print(campaign, { error: failures[0] });
  }
  verdicts.push({ campaign, ok: failures.length === 0, seconds: Math.round((Date.now() - t0) / 1000), failures });
}

if (only.has('fuzz')) {
  const requests = Number(values['fuzz-requests']);
  await timed(
    `fuzz (${requests} requests)`,
    () => fuzz(requests, seed),
    (r) => [
      ...(r.internal.length ? [`${r.internal.length} INTERNAL answers`] : []),
      ...(r.serverAlive ? [] : ['the server died']),
      ...(r.healthAfter === 'SERVING' ? [] : [`health ${r.healthAfter}`]),
      ...(r.rssAfter / r.rssBefore <= 1.2 ? [] : [`RSS after/before ${(r.rssAfter / r.rssBefore).toFixed(2)} > 1.2`]),
    ],
    (r) => ({ ...r, internal: r.internal.slice(0, 20), rssRatio: Math.round((r.rssAfter / r.rssBefore) * 1000) / 1000 }),
  );
}
if (only.has('crash')) {
  const kills = Number(values.kills);
  await timed(`crash trial (${kills} kills)`, () => crashTrial({ kills, seed, log }), (r) => r.failures, (r) => r);
}
if (only.has('soak')) {
  const seconds = Number(values['soak-seconds']);
  await timed(
    `soak (${seconds} s)`,
    () => soak({ seconds, warmupSeconds: Number(values['soak-warmup']), seed, log }),
    (r) => r.failures,
    (r) => {
      const { series: _series, ...summary } = r;
      return summary;
    },
  );
}

process.stdout.write('\n=== campaign ===\n');
for (const v of verdicts) process.stdout.write(`${v.ok ? 'PASS' : 'FAIL'} ${v.campaign} in ${v.seconds} s${v.ok ? '' : `: ${v.failures.slice(0, 5).join('; ')}`}\n`);
process.exitCode = verdicts.every((v) => v.ok) && verdicts.length > 0 ? 0 : 1;
