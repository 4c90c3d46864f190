import { describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../../src/store/memory-job-store.js';
import { describeJobStore, newJob } from './job-store.contract.js';

describeJobStore('memory', async () => ({ store: new MemoryJobStore() }));

describe('MemoryJobStore', () => {
  it('takes transition times from the injected clock', async () => {
    const store = new MemoryJobStore({ clock: () => new Date('2030-05-06T07:08:09.000Z') });
    await store.create(newJob(1), 10);
    const rec = await store.transition('job-1', 'RUNNING', 'start');
    expect(rec.startTime).toBe('2030-05-06T07:08:09.000Z');
    expect(await store.integrityCheck()).toBe('ok');
  });
});
