import { describe, expect, it } from 'vitest';
import { threadsForNextJob } from '../../src/jobs/job-runner.js';

describe('threadsForNextJob', () => {
  it('gives a job its second thread only while every running job can have a core per thread', () => {
    expect(threadsForNextJob(2, 0, 2)).toBe(2);
    expect(threadsForNextJob(2, 1, 2)).toBe(1);
    expect(threadsForNextJob(2, 1, 4)).toBe(2);
    expect(threadsForNextJob(2, 2, 4)).toBe(1);
    expect(threadsForNextJob(2, 0, 1)).toBe(1);
  });

  it('never raises a configured single thread', () => {
    expect(threadsForNextJob(1, 0, 64)).toBe(1);
  });
});
