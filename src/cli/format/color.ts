/**
 * One colour scale for the terminal heatmap and the HTML report, so both pictures read the same way, and the
 * decision whether to colour the terminal at all.
 */

export type Rgb = [number, number, number];
export type ColorMode = 'none' | 'ansi256' | 'truecolor';

// Viridis at nine stops: perceptually uniform and legible to colour-blind readers; low = dark purple, high = yellow.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [253, 231, 37],
];

/** t in [0, 1] (clamped) -> colour on the scale. */
export function ramp(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as Rgb;
}

export const rgbHex = ([r, g, b]: Rgb): string => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** Black text on light cells, white on dark ones. */
export function textOn([r, g, b]: Rgb): Rgb {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? [0, 0, 0] : [255, 255, 255];
}

/** Nearest colour of xterm's 6x6x6 cube (indices 16..231). */
function ansi256([r, g, b]: Rgb): number {
  const q = (v: number): number => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));
  return 16 + 36 * q(r) + 6 * q(g) + q(b);
}

export function bg(rgb: Rgb, mode: ColorMode): string {
  if (mode === 'truecolor') return `\x1b[48;2;${rgb[0]};${rgb[1]};${rgb[2]}m`;
  if (mode === 'ansi256') return `\x1b[48;5;${ansi256(rgb)}m`;
  return '';
}

export function fg(rgb: Rgb, mode: ColorMode): string {
  if (mode === 'truecolor') return `\x1b[38;2;${rgb[0]};${rgb[1]};${rgb[2]}m`;
  if (mode === 'ansi256') return `\x1b[38;5;${ansi256(rgb)}m`;
  return '';
}

export const RESET = '\x1b[0m';

/**
 * --no-color and NO_COLOR turn colour off; FORCE_COLOR turns it on even without a TTY (1/2 = 256 colours,
 * 3 = truecolor); otherwise a TTY gets truecolor when COLORTERM says so and 256 colours if not.
 */
export function colorMode(wanted: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ColorMode {
  if (!wanted || (env['NO_COLOR'] ?? '') !== '') return 'none';
  const force = env['FORCE_COLOR'];
  const trueColor = /truecolor|24bit/i.test(env['COLORTERM'] ?? '');
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return 'none';
    return force === '3' || trueColor ? 'truecolor' : 'ansi256';
  }
  if (!stream.isTTY) return 'none';
  return trueColor ? 'truecolor' : 'ansi256';
}
