/**
 * What jobs/ consumes from the layers below, as ports rather than classes: the schedulers and the service take these,
 * so their unit tests pass a stub pool and an in-memory store, and the composition root passes the real ones.
 */
import type { TaanMetrics } from '../observability/metrics.js';
import type { ModelStore } from '../store/model-store.js';
import type { WorkerPool } from '../workers/pool.js';

/** The worker pool as the schedulers drive it: free slots, starting and stopping jobs. */
export type TrainingPool = Pick<WorkerPool, 'freeJobSlots' | 'busyCount' | 'nextJobWorker' | 'runJob' | 'stopJob' | 'isRunning'>;

/** Where a finished job's model becomes the next version of its name. */
export type ModelPublisher = Pick<ModelStore, 'publish'>;

/** The job gauges (set from the store's counts). */
export type JobGaugeMetrics = Pick<TaanMetrics, 'jobs' | 'jobQueueDepth'>;

/** What the runner records about training (step times, loss, test mAP), besides the gauges. */
export type TrainingMetrics = JobGaugeMetrics & Pick<TaanMetrics, 'trainStepDuration' | 'trainStepsTotal' | 'trainLoss' | 'evalMapAt10'>;
