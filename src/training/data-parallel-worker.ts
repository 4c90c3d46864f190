/**
 * Rank 1 of a data-parallel training job (see data-parallel.ts): a worker thread with its own tfjs instance that
 * starts from rank 0's parameters, running statistics and Adam state, then, on every 'step' message, takes the
 * rows rank 0 left in shared memory, computes its half of the step, waits for rank 0's half and applies the same
 * averaged update. It never sends parameters back; rank 0 terminates it when the job ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Adam } from '../model/adam.js';
import { initBackend } from '../model/backend.js';
import { OffsetCache } from '../model/layer-pass.js';
import { Network } from '../model/network.js';
import { Replica, readRank1Rows, type FromPartner, type PartnerInit, type ToPartner } from './data-parallel.js';

const port = parentPort;
if (!port) throw new Error('data-parallel-worker.ts must run in a worker thread');
const init = workerData as PartnerInit;

/** Thrown out of a wait when rank 0 has closed the partner: not a failure. */
class Closed extends Error {}

// No priority of its own: a new thread starts at its creator's nice value (Linux), so rank 1 runs at rank 0's
// (nice 10 in a job's worker). Ranks at different priorities would leave one waiting for the other every step.
await initBackend(init.backend);
const net = Network.fromArrays(init.config, init.arrays, init.stats);
const adam = new Adam(net, init.adamOptions);
adam.setState(init.adamState);
const replica = new Replica(net, adam, new OffsetCache(), init.reg, init.shared, 1);
let broken = false;

function send(msg: FromPartner): void {
  port!.postMessage(msg);
}

/** Blocks this thread (it has nothing else to do) until rank 0 has written its half of the current step. */
function waitForRank0(): void {
  const deadline = Date.now() + init.stallTimeoutMs;
  while (!replica.peerDone()) {
    if (replica.closed) throw new Closed();
    if (Date.now() > deadline) throw new Error(`rank 0 did not finish step ${replica.steps} within ${init.stallTimeoutMs} ms`);
    const { ctrl, index, value } = replica.peerCounter();
    if (value < replica.steps) Atomics.wait(ctrl, index, value, 1000);
  }
}

port.on('message', (msg: ToPartner) => {
  if (broken) return;
  try {
    if (msg.type === 'step') {
      const local = replica.begin(readRank1Rows(init.shared));
      waitForRank0();
      replica.finish(local);
    } else if (msg.type === 'state') {
      send({ type: 'state', id: msg.id, state: { arrays: net.getArrays(), stats: net.getStats(), adam: adam.getState() } });
    }
  } catch (err) {
    broken = true;
    if (err instanceof Closed) return;
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});

send({ type: 'ready' });
