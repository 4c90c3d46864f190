/**
 * Averages gradients between worker threads through one SharedArrayBuffer: each replica writes its gradients into
 * its own slot, waits at a barrier until every replica has written, then averages all slots in the same order (so
 * every replica computes bit-identical averages and the replicas stay identical). Slots are double-buffered by step
 * parity, so a replica may start writing step k+1 while a slower one still reads step k.
 */
export interface SharedReduceState {
  /** 2 x world slots of `size` floats. */
  data: SharedArrayBuffer;
  /** world counters: steps written by each replica. */
  ctrl: SharedArrayBuffer;
  size: number;
  world: number;
}

export function createSharedReduceState(size: number, world: number): SharedReduceState {
  return {
    data: new SharedArrayBuffer(2 * world * size * 4),
    ctrl: new SharedArrayBuffer(world * 4),
    size,
    world,
  };
}

export function sharedAllReduce(state: SharedReduceState, rank: number): (flat: Float32Array) => void {
  const { size, world } = state;
  const data = new Float32Array(state.data);
  const ctrl = new Int32Array(state.ctrl);
  let step = 0;
  return (flat) => {
    if (flat.length !== size) throw new Error(`all-reduce of ${flat.length} floats; the shared buffer holds ${size}`);
    const parity = step % 2;
    const slot = (r: number): Float32Array => data.subarray((parity * world + r) * size, (parity * world + r + 1) * size);
    slot(rank).set(flat);
    step++;
    Atomics.store(ctrl, rank, step);
    Atomics.notify(ctrl, rank);
    for (let r = 0; r < world; r++) {
      for (;;) {
        const seen = Atomics.load(ctrl, r);
        if (seen >= step) break;
        Atomics.wait(ctrl, r, seen, 60_000);
      }
    }
    const inv = 1 / world;
    flat.fill(0);
    for (let r = 0; r < world; r++) {
      const s = slot(r);
      for (let i = 0; i < size; i++) flat[i] = flat[i]! + s[i]!;
    }
    for (let i = 0; i < size; i++) flat[i] = flat[i]! * inv;
  };
}
