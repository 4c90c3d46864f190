/**
 * Sweeps: StartSweep records the sweep and its planned children; a driver loop then submits the children as ordinary
 * jobs (same queue, limits and stores as TrainJob), follows them, and when all have ended chooses the best by the
 * validation objective and moves the best label to its version, once.
 *
 * Everything the driver does is recorded before it is relied on, and every step is idempotent, so a restart (or
 * another replica, after the driver's lease ran out) resumes where the sweep was: children are created under
 * submission ids derived from the sweep id and their index (re-creating one returns the existing job, which resumes
 * from its own checkpoint), the best is recorded before the label moves, and the label moves to that recorded best.
 * One replica drives a sweep at a time (the store's lease, store/sweep-store.ts); any replica answers for it.
 */
import { isTerminal, type JobRecord } from '../domain/job.js';
import { DEFAULT_BEST_LABEL, isSweepTerminal, type SweepAxes, type SweepRecord, type SweepSpec } from '../domain/sweep.js';
import type { TrainRequest } from '../domain/train-request.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, ResourceExhaustedError, UnavailableError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { ModelStore } from '../store/model-store.js';
import { validateLabel } from '../store/model-store.js';
import type { ListSweepsQuery, SweepStore } from '../store/sweep-store.js';
import { newId, type JobService } from './job-service.js';
import { childRequest, planPoints, validateSweepSpec } from './sweep-plan.js';
import { sweepView, type SweepView } from './sweep-view.js';

/** How often a driver looks at its sweeps and WatchSweep at its sweep: a child takes seconds at the least. */
export const SWEEP_POLL_MS = 500;

export interface StartSweep {
  submissionId: string;
  base: TrainRequest;
  axes: SweepAxes;
  sampleCount: number;
  sampleSeed: number;
  /** '' = DEFAULT_BEST_LABEL. */
  bestLabel: string;
}

export interface SweepServiceOptions {
  store: SweepStore;
  jobs: Pick<JobService, 'submit' | 'get' | 'cancel' | 'checkDataset'>;
  models: Pick<ModelStore, 'resolve' | 'setLabel'>;
  /** Names this process as a sweep's driver (the instance name). */
  driver: string;
  /** How long a driver's claim on a sweep lasts unless renewed, ms (renewed every pollMs). */
  leaseMs: number;
  /** How often the driver looks at its sweeps, and WatchSweep at the sweep. */
  pollMs: number;
  logger: Logger;
}

export class SweepService {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Sweeps this process has claimed, to log when it starts (or stops) driving one. */
  private readonly driving = new Set<string>();

  constructor(private readonly o: SweepServiceOptions) {}

  /** Resumes the sweeps that have not ended (after a restart: where they were), then follows them. */
  resume(): void {
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops driving; the sweeps this process drove are released, for another replica (or the next start) at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    for (const id of this.driving) {
      await this.o.store.releaseSweep(id, this.o.driver).catch((err: unknown) => this.o.logger.warn({ err, sweepId: id }, 'sweep not released; its lease runs out instead'));
    }
    this.driving.clear();
  }

  async startSweep(req: StartSweep): Promise<SweepView> {
    if (req.submissionId.length > 200) throw InvalidArgumentError.field('submission_id', 'at most 200 characters');
    const bestLabel = req.bestLabel || DEFAULT_BEST_LABEL;
    validateLabel(bestLabel, 'best_label');
    const spec: SweepSpec = {
      base: { ...req.base, submissionId: '', versionLabels: [] },
      axes: req.axes,
      sampleCount: req.sampleCount,
      sampleSeed: req.sampleSeed,
      objective: 'VALID_MEAN_MAP_AT_10',
      bestLabel,
    };
    validateSweepSpec(spec);
    await this.o.jobs.checkDataset(spec.base);
    const sweepId = newId('sweep');
    const record: SweepRecord = {
      sweepId,
      submissionId: req.submissionId || sweepId,
      modelName: spec.base.modelName,
      state: 'RUNNING',
      createTime: new Date().toISOString(),
      endTime: null,
      spec,
      children: planPoints(spec).map((point, index) => ({ index, point, jobId: '', state: null, objective: null, testMapAt10: null, modelVersion: 0 })),
      best: null,
      labelled: false,
      message: 'started',
      cancelRequested: false,
    };
    const { sweep, created } = await this.o.store.createSweep(record);
    if (created) {
      this.o.logger.info({ sweepId, model: sweep.modelName, children: sweep.children.length }, 'sweep started');
      this.kick();
    }
    return this.view(sweep);
  }

  async get(sweepId: string): Promise<SweepView> {
    return this.view(await this.load(sweepId));
  }

  async list(query: ListSweepsQuery): Promise<{ sweeps: SweepView[]; nextPageToken: string }> {
    const page = await this.o.store.listSweeps(query);
    return { sweeps: await Promise.all(page.sweeps.map((s) => this.view(s))), nextPageToken: page.nextPageToken };
  }

  /** Flags the sweep and cancels its unfinished children now; the driver cancels any it creates later and ends it. */
  async cancel(sweepId: string): Promise<SweepView> {
    const before = await this.load(sweepId);
    if (isSweepTerminal(before.state)) throw new FailedPreconditionError(`sweep ${sweepId} is already ${before.state}`);
    const sweep = await this.o.store.requestSweepCancel(sweepId);
    await this.cancelChildren(sweep);
    this.kick();
    return this.view(sweep);
  }

  /** Sends the sweep now and whenever its view changes, until it has ended (inclusive) or `signal` aborts. */
  async watch(sweepId: string, send: (v: SweepView) => void, signal: AbortSignal): Promise<void> {
    let last = '';
    while (!signal.aborted) {
      const v = await this.get(sweepId);
      // Run times tick on their own; only a change of anything else is news.
      const key = JSON.stringify({ ...v, children: v.children.map((c) => ({ ...c, seconds: 0 })) });
      if (key !== last) {
        last = key;
        send(v);
      }
      if (isSweepTerminal(v.sweep.state)) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, this.o.pollMs);
        function done(): void {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done);
      });
    }
  }

  private async view(sweep: SweepRecord): Promise<SweepView> {
    const jobs = new Map<string, JobRecord>();
    for (const c of sweep.children) {
      if (!c.jobId) continue;
      const job = await this.o.jobs.get(c.jobId).catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
      if (job) jobs.set(c.jobId, job);
    }
    return sweepView(sweep, jobs);
  }

  private async load(sweepId: string): Promise<SweepRecord> {
    if (!sweepId) throw InvalidArgumentError.field('sweep_id', 'is required');
    const sweep = await this.o.store.getSweep(sweepId);
    if (!sweep) throw new NotFoundError('sweep', sweepId);
    return sweep;
  }

  /** Drives every unfinished sweep once; calls during a pass coalesce into one more pass. */
  private kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = (async () => {
      do {
        this.again = false;
        try {
          for (const id of await this.o.store.activeSweepIds()) {
            if (this.stopped) return;
            if (!(await this.o.store.claimSweep(id, this.o.driver, this.o.leaseMs))) {
              if (this.driving.delete(id)) this.o.logger.info({ sweepId: id }, 'sweep driven elsewhere now');
              continue;
            }
            if (!this.driving.has(id)) {
              this.driving.add(id);
              this.o.logger.info({ sweepId: id, driver: this.o.driver }, 'driving sweep');
            }
            const sweep = await this.o.store.getSweep(id);
            if (sweep) await this.drive(sweep).catch((err: unknown) => this.logFailure(err, 'sweep step failed; retried at the next pass', id));
          }
        } catch (err) {
          this.logFailure(err, 'sweep pass failed; retried at the next pass');
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.ticking = undefined));
  }

  /** One step of one sweep this process holds; each change is saved (fenced by the lease) before the next. */
  /** An unreachable store is reported once by its own gauge and log line, not at every pass (twice a second). */
  private logFailure(err: unknown, msg: string, sweepId?: string): void {
    const fields = { err, ...(sweepId ? { sweepId } : {}) };
    if (err instanceof UnavailableError) this.o.logger.debug(fields, msg);
    else this.o.logger.error(fields, msg);
  }

  private async drive(s: SweepRecord): Promise<void> {
    let changed = false;
    if (!s.cancelRequested) {
      for (const c of s.children) {
        if (c.jobId || c.state) continue;
        try {
          const job = await this.o.jobs.submit(childRequest(s.spec, c.point, s.sweepId, c.index));
          c.jobId = job.jobId;
          c.state = job.state;
          // Recorded at once: a cancel finds (and a restart re-derives) every child created so far.
          if (!(await this.save(s))) return;
          continue;
        } catch (err) {
          if (err instanceof ResourceExhaustedError) break; // the queue is full: the rest at a later pass
          if (!(err instanceof InvalidArgumentError || err instanceof NotFoundError)) throw err;
          // The child can never be created (its dataset went away): it counts as failed.
          c.state = 'FAILED';
          this.o.logger.warn({ sweepId: s.sweepId, child: c.index, err }, 'sweep child could not be created');
        }
        changed = true;
      }
    }
    for (const c of s.children) {
      if (!c.jobId || (c.state && isTerminal(c.state) && (c.state !== 'SUCCEEDED' || c.objective !== null))) continue;
      const job = await this.o.jobs.get(c.jobId);
      if (job.state !== c.state) {
        c.state = job.state;
        changed = true;
      }
      if (job.state === 'SUCCEEDED' && c.objective === null) {
        const objective = await this.objectiveOf(job);
        if (objective === undefined) continue; // its version is not visible here yet: at a later pass
        c.modelVersion = job.modelVersion;
        c.testMapAt10 = job.metrics?.meanTestMapAt10 ?? null;
        c.objective = objective;
        changed = true;
      }
    }
    if (s.cancelRequested) await this.cancelChildren(s);
    // A child never created because of the cancel has nothing left to end; a succeeded one needs its objective read.
    const ended = s.children.every(
      (c) => (c.state !== null && isTerminal(c.state) && (c.state !== 'SUCCEEDED' || c.objective !== null)) || (s.cancelRequested && !c.jobId),
    );
    const next = { ...s };
    if (s.cancelRequested) {
      next.state = ended ? 'CANCELLED' : 'CANCELLING';
      next.message = ended ? 'cancelled' : 'cancelling its children';
    } else if (ended && !s.best) {
      next.best = chooseBest(s);
      if (!next.best) {
        next.state = 'FAILED';
        next.message = 'no child succeeded';
      }
    }
    if (next.state !== s.state || next.best !== s.best) changed = true;
    if (isSweepTerminal(next.state)) next.endTime = new Date().toISOString();
    if (changed && !(await this.save(next))) return;
    if (next.best && !next.labelled && !isSweepTerminal(next.state)) await this.label(next);
  }

  /** The best is already recorded: moving the label to it again after a crash changes nothing. */
  private async label(s: SweepRecord): Promise<void> {
    const best = s.best!;
    try {
      await this.o.models.setLabel(s.modelName, best.modelVersion, s.spec.bestLabel);
    } catch (err) {
      if (err instanceof NotFoundError) return; // the version is not visible to this replica yet: at a later pass
      throw err;
    }
    this.o.logger.info({ sweepId: s.sweepId, model: s.modelName, version: best.modelVersion, label: s.spec.bestLabel, jobId: best.jobId, objective: best.objective }, 'sweep best labelled');
    await this.save({
      ...s,
      labelled: true,
      state: 'SUCCEEDED',
      endTime: new Date().toISOString(),
      message: `best: child ${best.index} (job ${best.jobId}), ${s.modelName} version ${best.modelVersion} labelled "${s.spec.bestLabel}"`,
    });
  }

  private async save(s: SweepRecord): Promise<boolean> {
    const saved = await this.o.store.saveSweep(s, this.o.driver);
    if (!saved) this.o.logger.warn({ sweepId: s.sweepId }, 'sweep not saved: another replica drives it now');
    else if (isSweepTerminal(s.state)) this.o.logger.info({ sweepId: s.sweepId, state: s.state, message: s.message }, 'sweep ended');
    return saved;
  }

  private async cancelChildren(s: SweepRecord): Promise<void> {
    for (const c of s.children) {
      if (!c.jobId) continue;
      const job = await this.o.jobs.get(c.jobId);
      if (isTerminal(job.state) || job.state === 'CANCELLING') continue;
      await this.o.jobs.cancel(c.jobId).catch((err: unknown) => {
        if (!(err instanceof FailedPreconditionError)) throw err; // it ended meanwhile
      });
    }
  }

  /**
   * Validation mean mAP@10 of the version the child published: its best epoch's (the one the trainer kept); NaN for a
   * version without history. undefined while the version is not visible to this replica yet (replicas refresh their
   * version lists about every second).
   */
  private async objectiveOf(job: JobRecord): Promise<number | undefined> {
    try {
      const ref = await this.o.models.resolve({ name: job.modelName, version: job.modelVersion, label: '' });
      const scores = (ref.meta.history ?? []).map((e) => e.meanValidMapAt10).filter(Number.isFinite);
      return scores.length ? Math.max(...scores) : NaN;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }
}

/** Highest objective among the succeeded children; the lowest index wins a tie. */
export function chooseBest(s: SweepRecord): SweepRecord['best'] {
  let best: SweepRecord['best'] = null;
  for (const c of s.children) {
    if (c.state !== 'SUCCEEDED' || c.objective === null || !Number.isFinite(c.objective)) continue;
    if (!best || c.objective > best.objective) best = { index: c.index, jobId: c.jobId, modelVersion: c.modelVersion, objective: c.objective };
  }
  return best;
}
