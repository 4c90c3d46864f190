/**
 * LastKnownModels (serving/last-known-models.ts) with a stub registry: what Predict resolves while the store is
 * unreachable. The same path against a real PostgreSQL that is stopped: test/e2e/store-outage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, StorageError, UnavailableError } from '../../src/errors/errors.js';
import type { ModelMetadata } from '../../src/model/model-metadata.js';
import type { ModelRef, ModelSpecQuery } from '../../src/store/model-store.js';
import { LastKnownModels } from '../../src/serving/last-known-models.js';

/** A registry whose answers the test sets: a label map and a latest version, or an error for every call. */
function registry() {
  const state = { latest: 1, labels: { stable: 1 } as Record<string, number>, fail: undefined as Error | undefined, calls: 0 };
  const ref = (name: string, version: number): ModelRef => ({ name, version, dir: `/models/${name}/${version}`, meta: {} as ModelMetadata });
  return {
    state,
    models: {
      async resolve(q: ModelSpecQuery): Promise<ModelRef> {
        state.calls += 1;
        if (state.fail) throw state.fail;
        if (q.label) {
          const v = state.labels[q.label];
          if (v === undefined) throw new NotFoundError('version', `${q.name}@${q.label}`);
          return ref(q.name, v);
        }
        return ref(q.name, q.version || state.latest);
      },
    },
  };
}

const spec = (over: Partial<ModelSpecQuery> = {}): ModelSpecQuery => ({ name: 'm', version: 0, label: '', ...over });
const down = (): UnavailableError => new UnavailableError('the database is unavailable (connect ECONNREFUSED); retry later');

describe('LastKnownModels', () => {
  it('answers from the store while it is reachable, and from the last answer per spec while it is not', async () => {
    const r = registry();
    let now = 0;
    const known = new LastKnownModels({ models: r.models, retryMs: 1000, now: () => now });
    expect((await known.resolve(spec())).version).toBe(1);
    expect((await known.resolve(spec({ label: 'stable' }))).version).toBe(1);
    expect((await known.resolve(spec({ version: 1 }))).version).toBe(1);

    r.state.fail = down();
    expect((await known.resolve(spec())).version).toBe(1);
    expect((await known.resolve(spec({ label: 'stable' }))).version).toBe(1);
    expect((await known.resolve(spec({ version: 1 }))).version).toBe(1);
    // A spec never resolved before has nothing to fall back on: the client sees UNAVAILABLE.
    await expect(known.resolve(spec({ name: 'other' }))).rejects.toBeInstanceOf(UnavailableError);
    await expect(known.resolve(spec({ label: 'canary' }))).rejects.toBeInstanceOf(UnavailableError);

    // Back: the store is asked again (after the retry pause) and a label moved meanwhile is picked up at once.
    r.state.fail = undefined;
    r.state.labels.stable = 2;
    r.state.latest = 2;
    now += 1000;
    expect((await known.resolve(spec({ label: 'stable' }))).version).toBe(2);
    expect((await known.resolve(spec())).version).toBe(2);
  });

  it('skips the store for known specs for retryMs after it was found unreachable', async () => {
    const r = registry();
    let now = 0;
    const known = new LastKnownModels({ models: r.models, retryMs: 1000, now: () => now });
    await known.resolve(spec());
    r.state.fail = down();
    await known.resolve(spec());
    const calls = r.state.calls;
    for (let i = 0; i < 100; i++) await known.resolve(spec());
    expect(r.state.calls).toBe(calls);
    now += 1000;
    await known.resolve(spec());
    expect(r.state.calls).toBe(calls + 1);
  });

  it('ends the pause as soon as another store call succeeds: a label moved right after the outage is seen', async () => {
    const r = registry();
    let reachable = true;
    const known = new LastKnownModels({ models: r.models, retryMs: 60_000, now: () => 0, storeReachable: () => reachable });
    await known.resolve(spec({ label: 'stable' }));
    r.state.fail = down();
    reachable = false;
    expect((await known.resolve(spec({ label: 'stable' }))).version).toBe(1);
    // The store is back (e.g. SetModelVersionLabel went through) within the pause.
    r.state.fail = undefined;
    r.state.labels.stable = 2;
    reachable = true;
    expect((await known.resolve(spec({ label: 'stable' }))).version).toBe(2);
  });

  it('passes every other error through, last answer or not', async () => {
    const r = registry();
    const known = new LastKnownModels({ models: r.models });
    await known.resolve(spec());
    r.state.fail = new NotFoundError('model', 'm');
    await expect(known.resolve(spec())).rejects.toBeInstanceOf(NotFoundError);
    // A fault of the local disk is the operator's to see, not papered over.
    r.state.fail = new StorageError('could not list /models/m: EIO');
    await expect(known.resolve(spec())).rejects.toBeInstanceOf(StorageError);
  });

  it('keeps at most maxEntries specs, dropping the least recently used', async () => {
    const r = registry();
    const known = new LastKnownModels({ models: r.models, maxEntries: 2, retryMs: 0 });
    await known.resolve(spec({ name: 'a' }));
    await known.resolve(spec({ name: 'b' }));
    await known.resolve(spec({ name: 'a' }));
    await known.resolve(spec({ name: 'c' }));
    r.state.fail = down();
    expect((await known.resolve(spec({ name: 'a' }))).name).toBe('a');
    expect((await known.resolve(spec({ name: 'c' }))).name).toBe('c');
    await expect(known.resolve(spec({ name: 'b' }))).rejects.toBeInstanceOf(UnavailableError);
  });
});
