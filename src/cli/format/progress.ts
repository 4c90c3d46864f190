/**
 * Live view of one or more jobs from their WatchJob events: progress bars on a terminal, one line per epoch and
 * per state change otherwise (logs and CI keep a readable record instead of carriage-return noise). Always on
 * stderr, so stdout stays clean for --json.
 */
import cliProgress from 'cli-progress';
import type { JobEvent__Output } from '../../grpc/generated/taan/v1/JobEvent.js';
import { fmt, mean } from './output.js';

interface Tracked {
  label: string;
  maxEpochs: number;
  bar?: cliProgress.SingleBar;
  lastEpochLogged: number;
  lastState: string;
  map?: number;
}

export class ProgressView {
  private readonly jobs = new Map<string, Tracked>();
  private readonly multi?: cliProgress.MultiBar;
  private readonly labelWidth: number;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    labels: string[] = [],
  ) {
    this.labelWidth = Math.max(0, ...labels.map((l) => l.length));
    if (stream.isTTY) {
      // The bar gives way first on narrow terminals; the numbers matter more than its length.
      const barsize = Math.max(10, Math.min(30, (stream.columns || 100) - this.labelWidth - 76));
      this.multi = new cliProgress.MultiBar(
        {
          stream,
          format: '{label} {bar} {percentage}% | epoch {epoch}/{epochs} | loss {loss} | val mAP@10 {map} | step {value}/{total} {state}',
          barsize,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
          autopadding: true,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  add(jobId: string, label: string, maxEpochs: number): void {
    const t: Tracked = { label: label.padEnd(this.labelWidth), maxEpochs, lastEpochLogged: 0, lastState: '' };
    t.bar = this.multi?.create(1, 0, { label: t.label, epoch: 0, epochs: maxEpochs || '?', loss: '-', map: '-', state: 'QUEUED' });
    this.jobs.set(jobId, t);
  }

  update(jobId: string, e: JobEvent__Output): void {
    const t = this.jobs.get(jobId);
    if (!t) return;
    const p = e.progress;
    const maps = Object.values(p?.valid_map_at_10 ?? {});
    if (maps.length) t.map = mean(maps);
    const state = String(e.state);
    if (t.bar) {
      const total = Math.max(1, p?.total_steps ?? 0);
      t.bar.setTotal(total);
      t.bar.update(Math.min(total, p?.step ?? 0), { epoch: p?.epoch ?? 0, loss: fmt(p?.loss, 4), map: fmt(t.map), state: state === 'RUNNING' ? '' : state });
      return;
    }
    const prefix = `[${t.label.trimEnd()}]`;
    if (p && p.epoch > 0 && e.message.startsWith('epoch ') && p.epoch > t.lastEpochLogged) {
      t.lastEpochLogged = p.epoch;
      const line = `${prefix} epoch ${p.epoch}/${t.maxEpochs || '?'}  step ${p.step}/${p.total_steps}  loss ${fmt(p.loss, 4)}  valid mAP@10 ${fmt(t.map)}`;
      this.stream.write(`${line}\n`);
    }
    if (state !== t.lastState) {
      t.lastState = state;
      this.stream.write(`${prefix} ${state}${e.message && !e.message.startsWith('epoch ') && e.message !== 'progress' ? `: ${e.message}` : ''}\n`);
    }
  }

  stop(): void {
    this.multi?.stop();
  }
}
