/**
 * CancelJob of a RUNNING job ends CANCELLED at the next step boundary; while a job trains, 16 concurrent Predict
 * clients get answers without errors and the server's event loop stays responsive (lag p99 < 50 ms).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { metricValue, slowTrainRequest, smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { call, newClient, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;

beforeAll(async () => {
  server = await startServer();
  client = server.client();
  const j = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('served'));
  await waitForState(client, j.job_id, ['SUCCEEDED']);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('cancel and concurrency', () => {
  it('cancels a RUNNING job within one step', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('cancelme'));
    const running = await (async () => {
      for (;;) {
        const j = await call<Job__Output>(client, 'GetJob', { job_id: job.job_id });
        if (j.state === 'RUNNING' && (j.progress?.step ?? 0) >= 2) return j;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const cancelling = await call<Job__Output>(client, 'CancelJob', { job_id: job.job_id });
    expect(cancelling.state).toBe('CANCELLING');
    const end = await waitForState(client, job.job_id, ['CANCELLED', 'FAILED', 'SUCCEEDED'], 30_000);
    expect(end.state).toBe('CANCELLED');
    const tr = end.transitions;
    const seconds = (ms(tr.at(-1)!.time!) - ms(tr.at(-2)!.time!)) / 1000;
    const step = running.progress!.step_seconds;
    console.log(`CANCELLING -> CANCELLED in ${seconds.toFixed(3)} s; one step takes ${step.toFixed(3)} s`);
    expect(tr.at(-2)!.state).toBe('CANCELLING');
    expect(seconds).toBeLessThan(2 * step + 0.5);
    expect(end.progress!.step).toBeLessThan(end.progress!.total_steps);
  });

  it('answers 16 concurrent Predict clients during training, with event-loop lag p99 under 50 ms', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('busy', { max_epochs: 60 })); // still training after the 5 s of load
    await waitForState(client, job.job_id, ['RUNNING']);
    await fetch(server.metricsUrl); // a scrape resets the event-loop delay histogram
    const clients = Array.from({ length: 16 }, () => newClient(server.address));
    const until = Date.now() + 5000;
    let answered = 0;
    const errors: unknown[] = [];
    const features = Array.from({ length: 16 }, (_, i) => Math.cos(i));
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < until) {
          try {
            const r = await call<{ results: unknown[] }>(c, 'Predict', { model: { name: 'served' }, examples: [{ features }], top_k: 3 });
            if (r.results.length === 1) answered++;
          } catch (err) {
            errors.push(err);
          }
        }
      }),
    );
    const lag = await metricValue(server.metricsUrl, 'nodejs_eventloop_lag_p99_seconds');
    const training = await call<Job__Output>(client, 'GetJob', { job_id: job.job_id });
    console.log(`16 clients x 5 s during training: ${answered} answers, ${errors.length} errors, event-loop lag p99 ${(lag * 1000).toFixed(2)} ms, job ${training.state}`);
    clients.forEach((c) => c.close());
    expect(errors).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    expect(training.state).toBe('RUNNING');
    expect(lag).toBeLessThan(0.05);
    await call(client, 'CancelJob', { job_id: job.job_id });
  });
});

function ms(t: { seconds: number; nanos: number }): number {
  return t.seconds * 1000 + t.nanos / 1e6;
}
