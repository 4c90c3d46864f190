/**
 * One self-contained HTML page: inline CSS and SVG only, a CSP that forbids every fetch, so it opens offline
 * and identically everywhere. Sections have stable ids (#map-comparison, #training-curves, #activations,
 * #distance, #cosine) for links and for the Chromium test.
 */
import type { Model__Output } from '../../grpc/generated/taan/v1/Model.js';
import { ramp, rgbHex } from '../format/color.js';
import { fmt, signed, timestampToIso } from '../format/output.js';
import type { EpochPoint, ReportInput } from './data.js';
import { barChart, esc, heatmap, lineChart, type Series } from './svg.js';

const MODEL_COLOR = '#2f6db5';
const BASELINE_COLOR = '#e07b24';

export const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:0 0 8px}h3{font-size:15px;margin:18px 0 6px}
.sub{color:#596175;margin:0 0 14px}
section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:18px 20px;margin:18px 0}
nav a{margin-right:14px;color:#2f6db5;text-decoration:none}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dt{color:#596175}dd{margin:0}
table{border-collapse:collapse;margin-top:10px;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px;border-bottom:1px solid #eceef2;text-align:right}th:first-child,td:first-child{text-align:left}
tr.mean td{font-weight:600;border-top:2px solid #c9ced8}
.pos{color:#1a7f37}.neg{color:#c0392b}.note{color:#596175;font-size:13px}
.charts{display:flex;flex-wrap:wrap;gap:18px}.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:6px}
svg text{font:11px system-ui,sans-serif;fill:#1d2330}svg .title{font-weight:600}svg .label{fill:#596175}
svg .grid{stroke:#eceef2}svg .axis{stroke:#9aa1af}svg .mark{stroke:#9aa1af}svg .val{font-size:9px}
footer{color:#596175;font-size:12px;margin-top:24px}
`;

function modelName(m: Model__Output): string {
  return `${m.name} v${m.version}`;
}

function describe(m: Model__Output): string {
  const arch = String(m.architecture);
  let extra = arch === 'TAAN' ? `, M ${m.num_basis}, ${String(m.measure).replace('MEASURE_', '').toLowerCase()} measure` : '';
  if (arch === 'MMOE') extra += `, ${m.num_experts} experts, towers [${m.tower_hidden_sizes.join(', ')}]`;
  if (String(m.loss_weighting) === 'UNCERTAINTY') extra += ', uncertainty loss weighting';
  return `${arch}, hidden [${m.hidden_sizes.join(', ')}]${extra}, ${m.parameter_count.toLocaleString('en-US')} parameters`;
}

/** Task names in task_order when the activation metrics give one, else in the model's order. */
function orderedTasks(input: ReportInput): string[] {
  const am = input.activation;
  if (am && am.task_order.length === am.tasks.length) return am.task_order.map((i) => am.tasks[i] ?? String(i));
  return input.model.tasks.map((t) => t.name);
}

function mapSection(input: ReportInput, tasks: string[]): string {
  const m = input.model;
  const b = input.baseline;
  const mv = (x: Model__Output | undefined, t: string): number | undefined => x?.test_metrics?.test_map_at_10[t];
  const series = [{ name: modelName(m), values: tasks.map((t) => mv(m, t)), color: MODEL_COLOR }];
  if (b) series.push({ name: `${modelName(b)} (baseline)`, values: tasks.map((t) => mv(b, t)), color: BASELINE_COLOR });
  const rows = tasks.map((t) => {
    const x = mv(m, t);
    const y = mv(b, t);
    const d = x !== undefined && y !== undefined ? x - y : undefined;
    const cls = d === undefined ? '' : d >= 0 ? 'pos' : 'neg';
    return `<tr><td>${esc(t)}</td><td>${fmt(x, 4)}</td>${b ? `<td>${fmt(y, 4)}</td><td class="${cls}">${d === undefined ? '-' : signed(d, 4)}</td>` : ''}</tr>`;
  });
  const meanM = m.test_metrics?.mean_test_map_at_10;
  const meanB = b?.test_metrics?.mean_test_map_at_10;
  const wins = b ? tasks.filter((t) => (mv(m, t) ?? -1) > (mv(b, t) ?? Infinity)).length : 0;
  const meanDelta = meanM !== undefined && meanB !== undefined ? meanM - meanB : undefined;
  const head = `<tr><th>task</th><th>${esc(modelName(m))}</th>${b ? `<th>${esc(modelName(b))}</th><th>difference</th>` : ''}</tr>`;
  const meanRow = `<tr class="mean"><td>mean</td><td>${fmt(meanM, 4)}</td>${b ? `<td>${fmt(meanB, 4)}</td><td class="${(meanDelta ?? 0) >= 0 ? 'pos' : 'neg'}">${meanDelta === undefined ? '-' : signed(meanDelta, 4)}</td>` : ''}</tr>`;
  const summary = b
    ? `<p>${esc(modelName(m))} scores <b>${fmt(meanM, 4)}</b> mean test mAP@10 against <b>${fmt(meanB, 4)}</b> for the baseline ${esc(modelName(b))} (${meanDelta === undefined ? '-' : signed(meanDelta, 4)}), and is better on ${wins} of ${tasks.length} tasks.</p>`
    : `<p>Mean test mAP@10: <b>${fmt(meanM, 4)}</b>. No baseline was given (<code>taan report MODEL --baseline OTHER</code>).</p>`;
  return `<section id="map-comparison"><h2>Per-task test mAP@10</h2>${summary}${barChart({ categories: tasks, series, yLabel: 'test mAP@10' })}
<table>${head}${rows.join('')}${meanRow}</table></section>`;
}

function curvePoints(h: EpochPoint[], f: (p: EpochPoint) => number): Array<[number, number]> {
  return h.map((p) => [p.epoch, f(p)]);
}

function curvesSection(input: ReportInput): string {
  const { model: m, baseline: b, history, baselineHistory } = input;
  if (history.length === 0) return `<section id="training-curves"><h2>Training curves</h2><p class="note">This model version carries no per-epoch history.</p></section>`;
  const loss: Series[] = [{ name: `${modelName(m)} train loss`, points: curvePoints(history, (p) => p.loss), color: MODEL_COLOR }];
  const valid: Series[] = [];
  for (const t of Object.keys(history[0]?.valid ?? {})) {
    valid.push({ name: `${modelName(m)} ${t}`, points: curvePoints(history, (p) => p.valid[t] ?? NaN), color: MODEL_COLOR, width: 1, opacity: 0.22, legend: false });
  }
  valid.push({ name: `${modelName(m)} mean over tasks`, points: curvePoints(history, (p) => p.meanValid), color: MODEL_COLOR, width: 3 });
  if (b && baselineHistory.length) {
    loss.push({ name: `${modelName(b)} train loss`, points: curvePoints(baselineHistory, (p) => p.loss), color: BASELINE_COLOR, dash: '6 3' });
    valid.push({ name: `${modelName(b)} mean over tasks`, points: curvePoints(baselineHistory, (p) => p.meanValid), color: BASELINE_COLOR, width: 3, dash: '6 3' });
  }
  const last = history.at(-1)!;
  return `<section id="training-curves"><h2>Training curves</h2>
<p>${history.length} epochs; final train loss ${fmt(last.loss, 4)}, validation mAP@10 ${fmt(last.meanValid, 4)} (thin lines: each task).</p>
<div class="charts">${lineChart({ series: loss, xLabel: 'epoch', yLabel: 'train loss', title: 'Loss per epoch' })}${lineChart({ series: valid, xLabel: 'epoch', yLabel: 'validation mAP@10', title: 'Validation mAP@10 per epoch' })}</div></section>`;
}

function activationsSection(input: ReportInput): string {
  const am = input.activation;
  if (!am) return `<section id="activations"><h2>Task activation functions</h2><p class="note">${esc(input.activationNote ?? 'No activation metrics.')}</p></section>`;
  const T = am.tasks.length;
  const order = am.task_order.length === T ? am.task_order : [...Array(T).keys()];
  // Colour by position in task_order: tasks the clustering puts together get similar colours.
  const color = (pos: number): string => rgbHex(ramp(0.05 + (0.8 * pos) / Math.max(1, T - 1)));
  const layers = am.layers.map((l) => {
    const xs = l.curves?.x ?? [];
    const G = xs.length;
    const curve = (t: number): Array<[number, number]> => xs.map((x, g) => [x, l.curves?.y[t * G + g] ?? NaN]);
    const relu: Array<[number, number]> = xs.map((x) => [x, Math.max(0, x)]);
    const ys = [...(l.curves?.y ?? []), ...relu.map((p) => p[1])].filter(Number.isFinite);
    const yRange: [number, number] = [Math.min(...ys), Math.max(...ys)];
    const overlay = lineChart({
      title: `All tasks, layer ${l.layer}`,
      xLabel: 'pre-activation x',
      yLabel: 'activation f_t(x)',
      width: 560,
      height: 340,
      marks: l.basis_locations,
      series: [
        { name: 'ReLU', points: relu, color: '#9aa1af', width: 1, dash: '4 3', reference: true, legend: false },
        ...order.map((t, pos) => ({ name: am.tasks[t] ?? String(t), points: curve(t), color: color(pos), width: 1.5, legend: false })),
      ],
    });
    // The functions share most of their shape, so the differences between tasks are what the eye needs: each
    // task's curve minus the mean curve over tasks.
    const meanCurve = xs.map((_, g) => {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += l.curves?.y[t * G + g] ?? 0;
      return sum / T;
    });
    const deviation = lineChart({
      title: `Each task minus the mean over tasks, layer ${l.layer}`,
      xLabel: 'pre-activation x',
      yLabel: 'f_t(x) - mean_t f_t(x)',
      width: 560,
      height: 340,
      marks: l.basis_locations,
      series: order.map((t, pos) => ({ name: am.tasks[t] ?? String(t), points: curve(t).map(([x, y], g): [number, number] => [x, y - (meanCurve[g] ?? 0)]), color: color(pos), width: 1.5, legend: false })),
    });
    const multiples = order
      .map((t, pos) =>
        lineChart({
          title: am.tasks[t] ?? String(t),
          compact: true,
          width: 170,
          height: 120,
          yRange,
          marks: l.basis_locations,
          series: [
            { name: 'ReLU', points: relu, color: '#9aa1af', width: 1, dash: '3 2', reference: true },
            { name: am.tasks[t] ?? String(t), points: curve(t), color: color(pos), width: 2 },
          ],
        }),
      )
      .join('');
    return `<h3>Layer ${l.layer} <span class="note">(measure mean ${fmt(l.mu, 3)}, std ${fmt(l.sigma, 3)}; ${l.basis_locations.length} hinges)</span></h3>
<div class="charts">${overlay}${deviation}</div><div class="multiples">${multiples}</div>`;
  });
  return `<section id="activations"><h2>Task activation functions</h2>
<p>Each task's learned activation per hidden layer (GetActivationMetrics curves), tasks in task_order and coloured by their position in it; the dashed line is ReLU, ticks on the x axis mark the hinges.</p>${layers.join('')}</section>`;
}

function matrixSection(input: ReportInput, kind: 'distance' | 'cosine'): string {
  const id = kind;
  const title = kind === 'distance' ? 'Functional distance between tasks' : 'Cosine similarity between tasks';
  const am = input.activation;
  if (!am) return `<section id="${id}"><h2>${title}</h2><p class="note">${esc(input.activationNote ?? 'No activation metrics.')}</p></section>`;
  const T = am.tasks.length;
  const order = am.task_order.length === T ? am.task_order : [...Array(T).keys()];
  const names = order.map((i) => am.tasks[i] ?? String(i));
  const blurb =
    kind === 'distance'
      ? 'D<sub>ij</sub>: squared distance between the activation functions of tasks i and j under the layer measure (coloured by √D, the distance itself); dark = similar. Rows and columns follow task_order (hierarchical clustering of D), so related tasks form dark blocks.'
      : 'C<sub>ij</sub>: cosine similarity of the activation functions of tasks i and j; light = similar. Same task_order as the distances.';
  const maps = am.layers.map((l) => {
    const values = kind === 'distance' ? l.distance : l.cosine;
    const matrix = order.map((i) => order.map((j) => values[i * T + j] ?? NaN));
    const map = heatmap({ names, matrix, valueName: kind === 'distance' ? 'D (colour by √D)' : 'C (cosine)', scale: kind === 'distance' ? 'sqrt' : 'linear' });
    return `<h3>Layer ${l.layer}</h3>${map}`;
  });
  return `<section id="${id}"><h2>${title}</h2><p>${blurb}</p>${maps.join('')}</section>`;
}

export function renderReport(input: ReportInput): string {
  const m = input.model;
  const tasks = orderedTasks(input);
  const title = `TAAN report: ${modelName(m)}`;
  const facts: Array<[string, string]> = [
    ['model', `${modelName(m)}: ${describe(m)}`],
    ...(input.baseline ? ([['baseline', `${modelName(input.baseline)}: ${describe(input.baseline)}`]] as Array<[string, string]>) : []),
    ['tasks', `${m.tasks.length} (${m.input_dim} input features)`],
    ['mean test mAP@10', fmt(m.test_metrics?.mean_test_map_at_10, 4)],
    ['trained', timestampToIso(m.create_time) || '-'],
    ['training job', m.job_id || '-'],
  ];
  const nav = [
    ['map-comparison', 'test mAP@10'],
    ['training-curves', 'training curves'],
    ['activations', 'activations'],
    ['distance', 'distance'],
    ['cosine', 'cosine'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${esc(title)}</h1><p class="sub">Task Adaptive Activation Network: per-task results, training curves and how the tasks' activation functions relate.</p>
<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl></header>
<nav>${nav.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>
${mapSection(input, tasks)}
${curvesSection(input)}
${activationsSection(input)}
${matrixSection(input, 'distance')}
${matrixSection(input, 'cosine')}
<footer>Generated by <code>taan report</code> on ${esc(input.generatedAt.toISOString())} from ${esc(input.source)}.</footer>
</main></body></html>
`;
}
