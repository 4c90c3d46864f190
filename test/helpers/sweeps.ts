/** Sweep request builders and waiters shared by the sweep end-to-end tests. */
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Sweep__Output } from '../../src/grpc/generated/taan/v1/Sweep.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { smallTrainRequest } from './jobs.js';
import { call } from './server-process.js';

/** A 2 x 3 sweep (architecture x seed) of tiny synthetic children: a second or two each. */
export function smallSweepRequest(model: string, extra: Record<string, unknown> = {}, base: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    base: smallTrainRequest(model, { hidden_sizes: [16], early_stopping_patience: 0, ...base }),
    axes: { architecture: ['TAAN', 'HARD_SHARE'], seed: [1, 2, 3] },
    ...extra,
  };
}

export async function waitForSweep(client: TaanServiceClient, sweepId: string, pred: (s: Sweep__Output) => boolean, timeoutMs = 120_000): Promise<Sweep__Output> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await call<Sweep__Output>(client, 'GetSweep', { sweep_id: sweepId });
    if (pred(s)) return s;
    if (Date.now() > until) throw new Error(`sweep ${sweepId} still ${s.state} after ${timeoutMs} ms: ${s.children.map((c) => c.state).join(',')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sweepEnded = (s: Sweep__Output): boolean => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s.state as string);

export function watchSweep(client: TaanServiceClient, sweepId: string): Promise<Sweep__Output[]> {
  return new Promise((resolve, reject) => {
    const out: Sweep__Output[] = [];
    const stream = (client as unknown as { WatchSweep(r: unknown): ClientReadableStream<Sweep__Output> }).WatchSweep({ sweep_id: sweepId });
    stream.on('data', (s: Sweep__Output) => out.push(s));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

/** The child with the highest validation objective (lowest index on a tie), as the server must choose. */
export function bestByValidation(s: Sweep__Output): Sweep__Output['children'][number] {
  const done = s.children.filter((c) => c.state === 'SUCCEEDED');
  return done.reduce((b, c) => ((c.valid_objective ?? -1) > (b.valid_objective ?? -1) ? c : b), done[0]!);
}
