/**
 * The report's charts as inline SVG strings: line charts, grouped bars and task x task heatmaps. No chart library
 * and no script, so the file opens anywhere, offline, and every value is also in a <title> tooltip.
 * Data marks carry classes (line, bar, cell) so tests can count them apart from axes and legends.
 */
import { ramp, rgbHex, textOn } from '../format/color.js';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const n1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

function tickText(t: number): string {
  const a = Math.abs(t);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return t.toExponential(1);
  return String(+t.toPrecision(4));
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
  color: string;
  width?: number;
  dash?: string;
  opacity?: number;
  /** In the legend (default true). */
  legend?: boolean;
  /** A reference line, not data (class "ref" instead of "line"). */
  reference?: boolean;
}

export interface LineChartOptions {
  series: Series[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  width?: number;
  height?: number;
  yRange?: [number, number];
  /** Small multiples: fewer ticks, no axis labels. */
  compact?: boolean;
  /** x positions marked with short ticks on the x axis (e.g. hinge locations). */
  marks?: number[];
}

export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 520;
  const H = (o.height ?? 300) + (o.compact ? 0 : 16 * o.series.filter((s) => s.legend !== false).length);
  const named = o.compact ? [] : o.series.filter((s) => s.legend !== false);
  // The legend sits in its own rows above the plot, so it never hides a line and long names still fit.
  const legendTop = o.title ? 24 : 8;
  const m = o.compact ? { l: 34, r: 6, t: o.title ? 18 : 6, b: 20 } : { l: 58, r: 14, t: legendTop + 16 * named.length + 6, b: 42 };
  const pts = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0) return `<svg class="chart empty" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text></svg>`;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = o.yRange ?? [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  if (!o.yRange) {
    const pad = (y1 - y0) * 0.05;
    [y0, y1] = [y0 - pad, y1 + pad];
  }
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  const yTicks = niceTicks(y0, y1, o.compact ? 3 : 5).filter((t) => t >= y0 && t <= y1);
  const xTicks = niceTicks(x0, x1, o.compact ? 3 : 6).filter((t) => t >= x0 && t <= x1);
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${n1(py(t))}" y2="${n1(py(t))}"/>`);
    parts.push(`<text class="tick" x="${m.l - 4}" y="${n1(py(t) + 3)}" text-anchor="end">${tickText(t)}</text>`);
  }
  for (const t of xTicks) parts.push(`<text class="tick" x="${n1(px(t))}" y="${H - m.b + 12}" text-anchor="middle">${tickText(t)}</text>`);
  parts.push(`<line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/><line class="axis" x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}"/>`);
  for (const x of o.marks ?? []) if (x >= x0 && x <= x1) parts.push(`<line class="mark" x1="${n1(px(x))}" x2="${n1(px(x))}" y1="${H - m.b}" y2="${H - m.b - 5}"/>`);
  for (const s of o.series) {
    const d = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y], i) => `${i ? 'L' : 'M'}${n1(px(x))} ${n1(py(y))}`)
      .join('');
    if (!d) continue;
    const style = `stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}${s.opacity !== undefined ? ` stroke-opacity="${s.opacity}"` : ''}`;
    parts.push(`<path class="${s.reference ? 'ref' : 'line'}" d="${d}" fill="none" ${style}><title>${esc(s.name)}</title></path>`);
  }
  if (o.title) parts.push(`<text class="title" x="${m.l}" y="${o.compact ? 12 : 16}">${esc(o.title)}</text>`);
  if (!o.compact) {
    if (o.xLabel) parts.push(`<text class="label" x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`);
    if (o.yLabel) parts.push(`<text class="label" transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
    named.forEach((s, i) => {
      const y = legendTop + 6 + i * 16;
      parts.push(`<g class="legend"><line x1="${m.l + 8}" x2="${m.l + 30}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="${m.l + 36}" y="${y + 4}">${esc(s.name)}</text></g>`);
    });
  }
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}

export interface BarSeries {
  name: string;
  values: Array<number | undefined>;
  color: string;
}

/** Grouped bars, one group per category (task), one bar per series (model). */
export function barChart(o: { categories: string[]; series: BarSeries[]; yLabel: string; width?: number; height?: number }): string {
  const C = o.categories.length;
  const labelRoom = Math.min(110, 6 * Math.max(4, ...o.categories.map((c) => c.length)));
  const W = o.width ?? Math.max(520, 70 + C * (14 * o.series.length + 12));
  const H = (o.height ?? 300) + labelRoom;
  const m = { l: 58, r: 14, t: 10 + 16 * o.series.length, b: labelRoom + 10 };
  const all = o.series.flatMap((s) => s.values).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const y1 = Math.max(0.1, ...all) * 1.05;
  const py = (y: number): number => H - m.b - (y / y1) * (H - m.t - m.b);
  const group = (W - m.l - m.r) / Math.max(1, C);
  const bw = Math.max(2, (group - 6) / Math.max(1, o.series.length));
  const parts: string[] = [];
  for (const t of niceTicks(0, y1, 5).filter((t) => t <= y1)) {
    parts.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${n1(py(t))}" y2="${n1(py(t))}"/><text class="tick" x="${m.l - 4}" y="${n1(py(t) + 3)}" text-anchor="end">${tickText(t)}</text>`);
  }
  o.categories.forEach((cat, c) => {
    const gx = m.l + c * group + 3;
    o.series.forEach((s, k) => {
      const v = s.values[c];
      if (v === undefined || !Number.isFinite(v)) return;
      const y = py(v);
      parts.push(`<rect class="bar" x="${n1(gx + k * bw)}" y="${n1(y)}" width="${n1(bw - 1)}" height="${n1(H - m.b - y)}" fill="${s.color}"><title>${esc(`${cat} - ${s.name}: ${v.toFixed(4)}`)}</title></rect>`);
    });
    const lx = gx + (group - 6) / 2;
    parts.push(`<text class="tick cat" transform="translate(${n1(lx)} ${H - m.b + 10}) rotate(-45)" text-anchor="end">${esc(cat)}</text>`);
  });
  parts.push(`<line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/><line class="axis" x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}"/>`);
  parts.push(`<text class="label" transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    parts.push(`<g class="legend"><rect x="${m.l + 8}" y="${4 + i * 16}" width="12" height="12" fill="${s.color}"/><text x="${m.l + 26}" y="${14 + i * 16}">${esc(s.name)}</text></g>`);
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}

/** At most 4 characters inside a cell: ".998", ".003", "12.3". */
function cellText(v: number): string {
  const a = Math.abs(v);
  const t = a.toFixed(3);
  if (t.startsWith('0')) return `${v < 0 ? '-' : ''}${t.slice(1)}`;
  return a < 1000 ? v.toPrecision(3) : v.toExponential(0);
}

/** A task x task matrix, rows and columns already in display order, names on both axes, a colour legend. */
export function heatmap(o: { names: string[]; matrix: number[][]; valueName: string; digits?: number; scale?: 'linear' | 'sqrt' }): string {
  const T = o.names.length;
  const digits = o.digits ?? 4;
  const cell = Math.max(10, Math.min(30, Math.floor(520 / Math.max(1, T))));
  const labelW = Math.min(150, 7 * Math.max(...o.names.map((s) => s.length), 3) + 8);
  const values = o.matrix.flat().filter(Number.isFinite);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  // sqrt for squared distances, so one far task does not flatten every other contrast.
  const f = o.scale === 'sqrt' ? (v: number): number => Math.sqrt(Math.max(0, v)) : (v: number): number => v;
  const t = (v: number): number => (f(hi) > f(lo) ? (f(v) - f(lo)) / (f(hi) - f(lo)) : 0);
  const x0 = labelW;
  const y0 = labelW;
  const W = x0 + T * cell + 110;
  const H = y0 + T * cell + 10;
  const parts: string[] = [];
  o.names.forEach((name, i) => {
    const c = n1(x0 + i * cell + cell / 2 + 4);
    parts.push(`<text class="tick row" x="${x0 - 5}" y="${n1(y0 + i * cell + cell / 2 + 4)}" text-anchor="end">${esc(name)}</text>`);
    parts.push(`<text class="tick col" transform="translate(${c} ${y0 - 5}) rotate(-60)" text-anchor="start">${esc(name)}</text>`);
  });
  o.matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const rgb = ramp(t(v));
      const tip = `${o.names[i]} / ${o.names[j]}: ${Number.isFinite(v) ? v.toFixed(digits) : '-'}`;
      parts.push(`<rect class="cell" x="${x0 + j * cell}" y="${y0 + i * cell}" width="${cell}" height="${cell}" fill="${rgbHex(rgb)}"><title>${esc(tip)}</title></rect>`);
      if (cell >= 28 && Number.isFinite(v)) {
        parts.push(`<text class="val" x="${x0 + j * cell + cell / 2}" y="${y0 + i * cell + cell / 2 + 3}" text-anchor="middle" style="fill:${rgbHex(textOn(rgb))}">${cellText(v)}</text>`);
      }
    }),
  );
  // Colour legend: high at the top, as on a map key.
  const lx = x0 + T * cell + 20;
  const steps = 20;
  const lh = (T * cell) / steps;
  for (let k = 0; k < steps; k++) parts.push(`<rect class="key" x="${lx}" y="${n1(y0 + k * lh)}" width="14" height="${n1(lh + 0.5)}" fill="${rgbHex(ramp(1 - k / (steps - 1)))}"/>`);
  // The middle label is the value at the middle colour, which under sqrt is not the arithmetic midpoint.
  const midF = (f(lo) + f(hi)) / 2;
  const mid = o.scale === 'sqrt' ? midF * midF : midF;
  parts.push(`<text class="tick" x="${lx + 18}" y="${y0 + 8}">${hi.toFixed(digits)}</text><text class="tick" x="${lx + 18}" y="${n1(y0 + (T * cell) / 2 + 4)}">${mid.toFixed(digits)}</text><text class="tick" x="${lx + 18}" y="${y0 + T * cell}">${lo.toFixed(digits)}</text>`);
  parts.push(`<text class="label" transform="translate(${lx + 70} ${y0 + (T * cell) / 2}) rotate(90)" text-anchor="middle">${esc(o.valueName)}</text>`);
  return `<svg class="chart heatmap" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
}
