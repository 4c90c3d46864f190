import type { JobStore } from '../store/job-store.js';
import type { JobGaugeMetrics } from './ports.js';

/** Sets the job gauges from the store's counts (not inc()/dec(), so they are right after a restart too). */
export async function refreshJobGauges(store: Pick<JobStore, 'countByState'>, metrics: JobGaugeMetrics): Promise<void> {
  const counts = await store.countByState();
  for (const [state, n] of Object.entries(counts)) metrics.jobs.set({ state }, n);
  metrics.jobQueueDepth.set(counts.QUEUED);
}
