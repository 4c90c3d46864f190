/**
 * The sweep page of the HTML report: the validation objective against each axis that varies (the paper's
 * accuracy-against-c curve), one line per architecture, then the aggregate over seeds and every child. Same
 * self-contained page rules as the model report (html.ts): inline CSS and SVG, a CSP that forbids every fetch.
 * Sections: #objective-by-axis, #over-seeds, #children.
 */
import type { Sweep__Output } from '../../grpc/generated/taan/v1/Sweep.js';
import { fmt, timestampToIso } from '../format/output.js';
import { CSS } from './html.js';
import { barChart, esc, lineChart, type Series } from './svg.js';

type Child = Sweep__Output['children'][number];

const PALETTE = ['#2f6db5', '#e07b24', '#1a7f37', '#8e44ad', '#c0392b', '#16a085'];
/** Axes whose values are numbers, drawn as lines; the others (regularizer, hidden_sizes) as grouped bars. */
const NUMERIC = new Set(['reg_coefficient', 'learning_rate', 'weight_decay', 'num_basis', 'seed']);

const succeeded = (s: Sweep__Output): Child[] => s.children.filter((c) => c.state === 'SUCCEEDED' && c.valid_objective !== null && c.valid_objective !== undefined);

function architectureOf(s: Sweep__Output, c: Child): string {
  return c.config['architecture'] ?? String(s.request?.base?.architecture ?? 'TAAN');
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Per architecture and axis value: the mean objective over every child with them (other axes averaged over). */
function byAxis(s: Sweep__Output, axis: string): { archs: string[]; values: string[]; at: (arch: string, value: string) => number | undefined } {
  const done = succeeded(s);
  const archs = [...new Set(s.children.map((c) => architectureOf(s, c)))];
  const values = [...new Set(s.children.map((c) => c.config[axis] ?? ''))];
  const cell = new Map<string, number[]>();
  for (const c of done) {
    const key = `${architectureOf(s, c)}\u0000${c.config[axis] ?? ''}`;
    cell.set(key, [...(cell.get(key) ?? []), c.valid_objective!]);
  }
  return { archs, values, at: (arch, value) => (cell.has(`${arch}\u0000${value}`) ? mean(cell.get(`${arch}\u0000${value}`)!) : undefined) };
}

function axisChart(s: Sweep__Output, axis: string): string {
  const { archs, values, at } = byAxis(s, axis);
  if (NUMERIC.has(axis)) {
    const sorted = [...values].sort((a, b) => Number(a) - Number(b));
    const series: Series[] = archs.map((arch, i) => ({
      name: arch,
      color: PALETTE[i % PALETTE.length]!,
      points: sorted.flatMap((v): Array<[number, number]> => {
        const y = at(arch, v);
        return y === undefined ? [] : [[Number(v), y]];
      }),
    }));
    return lineChart({ series, xLabel: axis, yLabel: 'validation mean mAP@10', title: `Validation mAP@10 against ${axis}` });
  }
  return barChart({ categories: values, series: archs.map((arch, i) => ({ name: arch, color: PALETTE[i % PALETTE.length]!, values: values.map((v) => at(arch, v)) })), yLabel: 'validation mean mAP@10' });
}

function objectiveSection(s: Sweep__Output): string {
  const axes = s.axes.filter((a) => a !== 'architecture');
  // Architecture alone: one bar per architecture.
  const charts = axes.length ? axes.map((a) => `<div><h3>${esc(a)}</h3>${axisChart(s, a)}</div>`) : [`<div><h3>architecture</h3>${axisChart(s, 'architecture')}</div>`];
  return `<section id="objective-by-axis"><h2>Validation objective against each axis</h2>
<p>Mean validation mAP@10 of the succeeded children at each value of the axis (averaged over the other axes), one line per architecture. The best child is chosen on this objective; test mAP@10 is shown below and never used to choose.</p>
<div class="charts">${charts.join('')}</div></section>`;
}

function seedsSection(s: Sweep__Output): string {
  const axes = s.axes.filter((a) => a !== 'seed');
  if (!s.groups.length) return `<section id="over-seeds"><h2>Over seeds</h2><p class="note">No child has succeeded yet.</p></section>`;
  const rows = s.groups.map(
    (g) =>
      `<tr>${axes.map((a) => `<td>${esc(g.config[a] ?? '-')}</td>`).join('')}<td>${g.seeds}</td><td>${fmt(g.mean, 4)}</td><td>${g.seeds > 1 ? `[${fmt(g.ci_low, 4)}, ${fmt(g.ci_high, 4)}]` : '-'}</td><td>${fmt(g.mean_test_map_at_10, 4)}</td></tr>`,
  );
  return `<section id="over-seeds"><h2>Over seeds</h2><p>Per configuration: mean validation mAP@10 over its seeds with a 95% Student-t interval.</p>
<table><tr>${axes.map((a) => `<th>${esc(a)}</th>`).join('')}<th>seeds</th><th>valid mean</th><th>95% interval</th><th>test mean</th></tr>${rows.join('')}</table></section>`;
}

function childrenSection(s: Sweep__Output): string {
  const rows = s.children.map((c) => {
    const best = c.job_id !== '' && c.job_id === s.best_job_id;
    return `<tr${best ? ' class="mean"' : ''}><td>${c.index}${best ? ' (best)' : ''}</td>${s.axes.map((a) => `<td>${esc(c.config[a] ?? '-')}</td>`).join('')}<td>${esc(String(c.state))}</td><td>${fmt(c.valid_objective ?? undefined, 4)}</td><td>${fmt(c.test_map_at_10 ?? undefined, 4)}</td><td>${c.seconds.toFixed(1)} s</td><td>${c.model_version || '-'}</td><td>${esc(c.job_id || '-')}</td></tr>`;
  });
  return `<section id="children"><h2>Children</h2>
<table><tr><th>#</th>${s.axes.map((a) => `<th>${esc(a)}</th>`).join('')}<th>state</th><th>valid mAP@10</th><th>test mAP@10</th><th>time</th><th>version</th><th>job</th></tr>${rows.join('')}</table></section>`;
}

export function renderSweepReport(s: Sweep__Output, source: string, generatedAt: Date): string {
  const title = `TAAN sweep: ${s.model_name} (${s.sweep_id})`;
  const best = s.children.find((c) => c.job_id !== '' && c.job_id === s.best_job_id);
  const facts: Array<[string, string]> = [
    ['state', `${String(s.state)}${s.message ? ` (${s.message})` : ''}`],
    ['axes', s.axes.map((a) => `${a} (${new Set(s.children.map((c) => c.config[a])).size})`).join(' x ') || '-'],
    ['children', String(s.children.length)],
    ['objective', 'validation mean mAP@10'],
    ['best', best ? `child ${best.index}: ${s.model_name} v${best.model_version}, validation ${fmt(best.valid_objective ?? undefined, 4)}` : '-'],
    ['started', timestampToIso(s.create_time) || '-'],
    ['ended', timestampToIso(s.end_time) || '-'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${esc(title)}</h1><p class="sub">A sweep of training runs: how the validation objective moves with each axis, and which run was labelled best.</p>
<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></header>
<nav><a href="#objective-by-axis">objective by axis</a><a href="#over-seeds">over seeds</a><a href="#children">children</a></nav>
${objectiveSection(s)}
${seedsSection(s)}
${childrenSection(s)}
<footer>Generated by <code>taan sweep report</code> on ${esc(generatedAt.toISOString())} from ${esc(source)}.</footer>
</main></body></html>
`;
}
