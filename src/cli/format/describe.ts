/** Human-readable views of jobs and models (the --json output is the message itself). */
import type { Dataset__Output } from '../../grpc/generated/taan/v1/Dataset.js';
import type { Job__Output } from '../../grpc/generated/taan/v1/Job.js';
import type { JobMetrics__Output } from '../../grpc/generated/taan/v1/JobMetrics.js';
import type { Model__Output } from '../../grpc/generated/taan/v1/Model.js';
import { fmt, mean, renderFields, renderTable, timestampToIso } from './output.js';

const shortTime = (iso: string): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function progressText(job: Job__Output): string {
  const p = job.progress;
  if (!p || p.total_steps === 0) return '-';
  return `${Math.round(p.fraction * 100)}% (epoch ${p.epoch}, step ${p.step}/${p.total_steps})`;
}

function meanValid(job: Job__Output): number {
  return mean(Object.values(job.progress?.valid_map_at_10 ?? {}));
}

export function jobsTable(jobs: Job__Output[]): string {
  if (jobs.length === 0) return 'no jobs\n';
  const rows = jobs.map((j) => [
    j.job_id,
    j.model_name,
    String(j.state),
    String(j.request?.architecture ?? ''),
    progressText(j),
    fmt(j.metrics ? j.metrics.mean_test_map_at_10 : undefined),
    shortTime(timestampToIso(j.create_time)),
  ]);
  return renderTable(['job', 'model', 'state', 'arch', 'progress', 'test mAP@10:>', 'created'], rows);
}

/** Per-task test metrics, tasks in the given order (default: sorted by name). */
export function metricsTable(m: JobMetrics__Output, order?: string[]): string {
  const tasks = order ?? Object.keys(m.test_map_at_10).sort();
  const rows = tasks.map((t) => [t, fmt(m.test_map_at_10[t]), fmt(m.per_class_map_by_task[t]), fmt(m.hit_at_1[t])]);
  rows.push(['mean', fmt(m.mean_test_map_at_10), fmt(m.per_class_map), fmt(mean(Object.values(m.hit_at_1)))]);
  return renderTable(['task', 'test mAP@10:>', 'per-class mAP:>', 'hit@1:>'], rows);
}

export function jobDetails(job: Job__Output): string {
  const r = job.request;
  const dataset = r?.synthetic ? 'synthetic' : r?.yt8m ? 'yt8m' : r?.arff ? 'arff' : r?.dataset_id ? `upload ${r.dataset_id}` : '-';
  const fields: Array<[string, string]> = [
    ['job', job.job_id],
    ['model', `${job.model_name}${job.model_version ? ` v${job.model_version}` : ''}`],
    ['state', String(job.state) + (job.failure_reason ? ` (${job.failure_reason})` : '')],
    ['architecture', `${String(r?.architecture ?? '-')}, hidden [${(r?.hidden_sizes ?? []).join(', ')}]${r?.architecture === 'TAAN' ? `, M ${r.num_basis}, ${String(r.regularizer)}` : ''}`],
    ['dataset', `${dataset}${job.dataset_summary ? `, ${job.dataset_summary.tasks.length} tasks` : ''}`],
    ['progress', progressText(job)],
    ['loss', fmt(job.progress?.loss, 4)],
    ['valid mAP@10', fmt(meanValid(job))],
    ['created', shortTime(timestampToIso(job.create_time))],
    ['ended', shortTime(timestampToIso(job.end_time))],
    ['runner', job.runner || '-'],
  ];
  let out = renderFields(fields);
  out += `\ntransitions:\n${job.transitions.map((t) => `  ${shortTime(timestampToIso(t.time))}  ${String(t.state)}${t.message ? `  ${t.message}` : ''}`).join('\n')}\n`;
  if (job.metrics && Object.keys(job.metrics.test_map_at_10).length) out += `\ntest metrics:\n${metricsTable(job.metrics)}`;
  return out;
}

export function modelsTable(models: Model__Output[]): string {
  if (models.length === 0) return 'no models\n';
  const rows = models.map((m) => [
    m.name,
    String(m.version),
    m.versions.join(','),
    Object.entries(m.version_labels)
      .map(([l, v]) => `${l}=${v}`)
      .join(',') || '-',
    String(m.architecture),
    String(m.tasks.length),
    String(m.parameter_count),
    fmt(m.test_metrics?.mean_test_map_at_10),
  ]);
  return renderTable(['model', 'latest:>', 'versions', 'labels', 'arch', 'tasks:>', 'params:>', 'test mAP@10:>'], rows);
}

export function datasetsTable(datasets: Dataset__Output[]): string {
  if (datasets.length === 0) return 'no datasets\n';
  const rows = datasets.map((d) => [d.dataset_id, d.name, String(d.files.length), String(d.total_bytes), shortTime(timestampToIso(d.create_time))]);
  return renderTable(['dataset', 'name', 'files:>', 'bytes:>', 'uploaded'], rows);
}

export function modelDetails(m: Model__Output): string {
  const fields: Array<[string, string]> = [
    ['model', `${m.name} v${m.version} (versions ${m.versions.join(', ')})`],
    ['labels', Object.entries(m.version_labels).map(([l, v]) => `${l} -> v${v}`).join(', ') || '-'],
    [
      'architecture',
      `${String(m.architecture)}, hidden [${m.hidden_sizes.join(', ')}]${m.num_basis ? `, M ${m.num_basis}, measure ${String(m.measure)}` : ''}` +
        `${m.num_experts ? `, ${m.num_experts} experts, towers [${m.tower_hidden_sizes.join(', ')}]` : ''}, loss weighting ${String(m.loss_weighting).replace('LOSS_WEIGHTING_UNSPECIFIED', 'EQUAL')}`,
    ],
    ['input', `${m.input_dim} features`],
    ['tasks', `${m.tasks.length}: ${m.tasks.map((t) => `${t.name} (${t.labels.length})`).join(', ')}`],
    ['parameters', String(m.parameter_count)],
    ['job', m.job_id || '-'],
    ['created', shortTime(timestampToIso(m.create_time))],
    ['epochs', m.history.length ? `${m.history.length}, final loss ${fmt(m.history.at(-1)?.train_loss, 4)}, valid mAP@10 ${fmt(m.history.at(-1)?.mean_valid_map_at_10)}` : '-'],
  ];
  let out = renderFields(fields);
  if (m.test_metrics) out += `\ntest metrics:\n${metricsTable(m.test_metrics, m.tasks.map((t) => t.name))}`;
  return out;
}
