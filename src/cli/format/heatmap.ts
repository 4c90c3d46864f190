/**
 * A task x task matrix in the terminal: coloured background blocks (or plain numbers without colour), rows and
 * columns in the given order so related tasks sit together, task names on both axes (columns written vertically
 * so any number of tasks fits the width).
 */
import { bg, ramp, RESET, type ColorMode } from './color.js';
import { pad } from './output.js';

export interface HeatmapInput {
  title: string;
  /** Task names in index order. */
  names: string[];
  /** names.length^2 values, row-major in index order. */
  values: number[];
  /** Task indices in display order (ActivationMetrics.task_order). */
  order: number[];
  mode: ColorMode;
  digits?: number;
  /** 'sqrt' colours by the square root: D is a squared distance, and sqrt(D) keeps one far task from flattening the rest. */
  scale?: 'linear' | 'sqrt';
}

const MAX_LABEL = 16;

function label(name: string): string {
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name;
}

/** Column names stacked vertically, bottom-aligned, each centred (colour) or right-aligned (numbers) in its cell. */
function columnHeader(names: string[], rowLabelWidth: number, cell: number, right: boolean): string[] {
  const labels = names.map(label);
  const height = Math.max(...labels.map((l) => l.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) {
    let line = ' '.repeat(rowLabelWidth + 1);
    for (const l of labels) {
      const ch = l[k - (height - l.length)] ?? ' ';
      line += right ? pad(ch, cell, 'right') : pad(` ${ch}`, cell);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export function renderHeatmap(h: HeatmapInput): string {
  const T = h.names.length;
  const digits = h.digits ?? 3;
  const order = h.order.length === T ? h.order : [...Array(T).keys()];
  const at = (i: number, j: number): number => h.values[i * T + j] ?? NaN;
  const finite = h.values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const f = h.scale === 'sqrt' ? (v: number): number => Math.sqrt(Math.max(0, v)) : (v: number): number => v;
  const scale = (v: number): number => (f(hi) > f(lo) ? (f(v) - f(lo)) / (f(hi) - f(lo)) : 0);

  const ordered = order.map((i) => h.names[i] ?? String(i));
  const rowW = Math.max(...ordered.map((n) => label(n).length));
  const colored = h.mode !== 'none';
  const numW = Math.max(...finite.map((v) => v.toFixed(digits).length), 3) + 1;
  const cell = colored ? 3 : numW;

  const out = [h.title, '', ...columnHeader(ordered, rowW, cell, !colored)];
  for (const i of order) {
    let line = `${pad(label(h.names[i] ?? String(i)), rowW, 'right')} `;
    for (const j of order) {
      const v = at(i, j);
      line += colored ? `${bg(ramp(scale(v)), h.mode)}${' '.repeat(cell)}${RESET}` : pad(Number.isFinite(v) ? v.toFixed(digits) : '-', cell, 'right');
    }
    out.push(line);
  }
  out.push('');
  if (colored) {
    const blocks = Array.from({ length: 16 }, (_, k) => `${bg(ramp(k / 15), h.mode)} ${RESET}`).join('');
    out.push(`${' '.repeat(rowW + 1)}${lo.toFixed(digits)} ${blocks} ${hi.toFixed(digits)}${h.scale === 'sqrt' ? '  (colour by square root)' : ''}`);
  } else {
    out.push(`${' '.repeat(rowW + 1)}min ${lo.toFixed(digits)}, max ${hi.toFixed(digits)}`);
  }
  return out.join('\n') + '\n';
}
