/** Human-readable views of sweeps: the children's table, the per-configuration aggregate over seeds, a live redraw. */
import type { Sweep__Output } from '../../grpc/generated/taan/v1/Sweep.js';
import { fmt, renderFields, renderTable, timestampToIso } from './output.js';

const configText = (config: Record<string, string>, axes: string[]): string[] => axes.map((a) => config[a] ?? '-');

/** One row per child: its axis values, state, validation objective, test mAP@10 (shown, not used), time, job. */
export function sweepChildrenTable(s: Sweep__Output): string {
  const axes = s.axes.length ? s.axes : [];
  const rows = s.children.map((c) => [
    String(c.index),
    ...configText(c.config, axes),
    String(c.state) + (c.job_id && c.job_id === s.best_job_id ? ' *' : ''),
    fmt(c.valid_objective ?? undefined, 4),
    fmt(c.test_map_at_10 ?? undefined, 4),
    c.seconds ? `${c.seconds.toFixed(1)}s` : '-',
    c.job_id || '-',
  ]);
  return renderTable(['#:>', ...axes, 'state', 'valid mAP@10:>', 'test mAP@10:>', 'time:>', 'job'], rows);
}

/** Per configuration (all axes but seed): mean and 95% interval of the validation objective over its seeds. */
export function sweepGroupsTable(s: Sweep__Output): string {
  const axes = s.axes.filter((a) => a !== 'seed');
  const rows = s.groups.map((g) => [
    ...configText(g.config, axes),
    String(g.seeds),
    fmt(g.mean, 4),
    g.seeds > 1 ? `[${fmt(g.ci_low, 4)}, ${fmt(g.ci_high, 4)}]` : '-',
    fmt(g.mean_test_map_at_10, 4),
  ]);
  return renderTable([...axes, 'seeds:>', 'valid mean:>', '95% interval:>', 'test mean:>'], rows);
}

export function sweepDetails(s: Sweep__Output): string {
  const best = s.children.find((c) => c.job_id && c.job_id === s.best_job_id);
  let out = renderFields([
    ['sweep', s.sweep_id],
    ['model', s.model_name],
    ['state', `${String(s.state)}${s.message ? ` (${s.message})` : ''}`],
    ['children', `${s.children.filter((c) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(String(c.state))).length}/${s.children.length} ended`],
    ['objective', 'validation mean mAP@10 (test mAP@10 is shown, never used to choose)'],
    ['best', best ? `child ${best.index}, ${s.model_name} v${best.model_version}${s.best_model_version ? ` labelled "${s.request?.best_label ?? 'best'}"` : ''}` : '-'],
    ['created', timestampToIso(s.create_time) || '-'],
    ['ended', timestampToIso(s.end_time) || '-'],
  ]);
  out += `\n${sweepChildrenTable(s)}`;
  if (s.groups.length && s.axes.includes('seed')) out += `\nover seeds:\n${sweepGroupsTable(s)}`;
  return out;
}

export function sweepsTable(sweeps: Sweep__Output[]): string {
  if (sweeps.length === 0) return 'no sweeps\n';
  const rows = sweeps.map((s) => [
    s.sweep_id,
    s.model_name,
    String(s.state),
    s.axes.join(' x ') || '-',
    `${s.children.filter((c) => c.state === 'SUCCEEDED').length}/${s.children.length}`,
    fmt(s.children.find((c) => c.job_id && c.job_id === s.best_job_id)?.valid_objective ?? undefined, 4),
    (timestampToIso(s.create_time) || '-').replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
  ]);
  return renderTable(['sweep', 'model', 'state', 'axes', 'succeeded:>', 'best valid:>', 'created'], rows);
}

/**
 * Redraws a block of text in place on a terminal (cursor up over the previous block, clear to the end); elsewhere
 * prints nothing until done(), so logs and pipes get the final table only.
 */
export class LiveBlock {
  private lines = 0;

  constructor(private readonly out: NodeJS.WriteStream) {}

  show(text: string): void {
    if (!this.out.isTTY) return;
    const up = this.lines ? `\x1b[${this.lines}F` : '';
    this.out.write(`${up}\x1b[0J${text}`);
    this.lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
}
