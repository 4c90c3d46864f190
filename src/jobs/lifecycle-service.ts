/**
 * Deleting what piles up in the state dir: model versions and models, ended jobs with their checkpoints, uploaded
 * datasets; and the taan_state_bytes gauge that shows what it all weighs. The rules that protect live work are
 * here: a labelled version is kept unless forced, a job is deleted only once it has ended, a dataset only while no
 * queued or running job uses it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isTerminal, JOBS_PAGE, type JobRecord, type JobState } from '../domain/job.js';
import { FailedPreconditionError, InvalidArgumentError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { CheckpointShare } from '../store/checkpoint-share.js';
import type { DatasetManifest, DatasetStore } from '../store/dataset-store.js';
import type { JobStore } from '../store/job-store.js';
import type { ModelDeletion, ModelStore } from '../store/model-store.js';
import { removeDirAtomic, removeStaleTemps, treeBytes } from '../util/atomic.js';

export interface LifecycleOptions {
  store: Pick<JobStore, 'deleteTerminal' | 'list' | 'get'>;
  models: ModelStore;
  datasets: DatasetStore;
  /** Per-job working folders (checkpoints, unpublished models): <jobsDir>/<jobId>/. */
  jobsDir: string;
  /** Replicas: the shared checkpoints. */
  checkpoints?: CheckpointShare;
  /** Where each kind of state lives, for the gauge. */
  stateFiles: StateFiles;
  /** taan_state_bytes (prom-client stays in observability/). */
  stateBytes: { set(labels: { kind: string }, value: number): void };
  logger: Pick<Logger, 'warn' | 'info'>;
}

/** Paths of each kind of state (a kind may span several paths, e.g. the SQLite file and its WAL). */
export type StateFiles = Record<'models' | 'checkpoints' | 'datasets' | 'jobs', string[]>;

/** A job id that is a plain folder name (ids come from clients: nothing else is joined to the jobs folder). */
const JOB_DIR = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Jobs that may still read their dataset. */
const ACTIVE: readonly JobState[] = ['QUEUED', 'RUNNING', 'CANCELLING'];

export class LifecycleService {
  private refreshing: Promise<void> | undefined;

  constructor(private readonly o: LifecycleOptions) {}

  async deleteModelVersion(name: string, version: number, force: boolean): Promise<ModelDeletion> {
    if (!Number.isInteger(version) || version < 1) throw InvalidArgumentError.field('version', 'must be a positive version number');
    const out = await this.o.models.deleteVersion(name, version, force);
    this.o.logger.info({ model: name, version, removedLabels: out.removedLabels, freedBytes: out.freedBytes }, 'model version deleted');
    await this.refreshGauge();
    return out;
  }

  async deleteModel(name: string): Promise<ModelDeletion> {
    const out = await this.o.models.deleteModel(name);
    this.o.logger.info({ model: name, versions: out.versions, freedBytes: out.freedBytes }, 'model deleted');
    await this.refreshGauge();
    return out;
  }

  /** Deletes an ended job, its working folder and its shared checkpoint; the version it published stays. */
  async deleteJob(jobId: string): Promise<number> {
    if (!jobId) throw InvalidArgumentError.field('job_id', 'is required');
    await this.o.store.deleteTerminal(jobId);
    const dir = this.jobDir(jobId);
    // After the record: a crash in between leaves a folder of an unknown job, which the start-up sweep removes.
    const freed = await removeDirAtomic(dir);
    await this.o.checkpoints?.delete(jobId);
    this.o.logger.info({ jobId, freedBytes: freed }, 'job deleted');
    await this.refreshGauge();
    return freed;
  }

  listDatasets(): Promise<DatasetManifest[]> {
    return this.o.datasets.list();
  }

  async deleteDataset(datasetId: string): Promise<number> {
    if (!datasetId) throw InvalidArgumentError.field('dataset_id', 'is required');
    await this.o.datasets.assertExists(datasetId);
    const users = await this.activeJobsUsing(datasetId);
    if (users.length) {
      throw new FailedPreconditionError(
        `dataset ${datasetId} is used by ${users.length} queued or running job(s) (${users.slice(0, 5).join(', ')}${users.length > 5 ? ', ...' : ''}): cancel them or wait until they end`,
      );
    }
    const freed = await this.o.datasets.delete(datasetId);
    this.o.logger.info({ datasetId, freedBytes: freed }, 'dataset deleted');
    await this.refreshGauge();
    return freed;
  }

  /**
   * At start-up, before any job runs: working folders of jobs that ended or no longer exist (a crash between a
   * job's end and the removal of its folder, or between a DeleteJob's record and its folder), and temp entries of
   * interrupted atomic writes in the folders of the others.
   */
  async sweepJobsDir(): Promise<void> {
    await removeStaleTemps(this.o.jobsDir);
    let names: string[];
    try {
      names = await fs.readdir(this.o.jobsDir);
    } catch {
      return;
    }
    for (const jobId of names) {
      if (!JOB_DIR.test(jobId)) continue;
      const job = await this.o.store.get(jobId);
      if (!job || isTerminal(job.state)) {
        await removeDirAtomic(this.jobDir(jobId));
        this.o.logger.info({ jobId }, 'start-up sweep: removed the working folder of a job that has ended or is gone');
        continue;
      }
      await removeStaleTemps(this.jobDir(jobId));
      await removeStaleTemps(path.join(this.jobDir(jobId), 'checkpoint'));
    }
  }

  /**
   * Sets taan_state_bytes from the disk (and, with replicas, first drops local copies of versions another replica
   * deleted). Concurrent calls share one walk.
   */
  refreshGauge(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        await this.o.models.pruneLocalCopies().catch((err: unknown) => this.o.logger.warn({ err }, 'could not prune local model copies'));
        await this.o.datasets.pruneLocalCopies().catch((err: unknown) => this.o.logger.warn({ err }, 'could not prune local dataset copies'));
        for (const [kind, paths] of Object.entries(this.o.stateFiles)) {
          let bytes = 0;
          for (const p of paths) bytes += await treeBytes(p);
          this.o.stateBytes.set({ kind }, bytes);
        }
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private jobDir(jobId: string): string {
    if (!JOB_DIR.test(jobId)) throw InvalidArgumentError.field('job_id', 'malformed job id');
    return path.join(this.o.jobsDir, jobId);
  }

  private async activeJobsUsing(datasetId: string): Promise<string[]> {
    const users: string[] = [];
    for (const state of ACTIVE) {
      let pageToken = '';
      do {
        const page = await this.o.store.list({ pageSize: JOBS_PAGE.max, pageToken, state });
        users.push(...page.jobs.filter((j) => usesDataset(j, datasetId)).map((j) => j.jobId));
        pageToken = page.nextPageToken;
      } while (pageToken);
    }
    return users;
  }
}

function usesDataset(job: JobRecord, datasetId: string): boolean {
  const d = job.request.dataset;
  return 'datasetId' in d && d.datasetId === datasetId;
}
