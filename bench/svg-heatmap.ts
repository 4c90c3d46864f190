/** A T x T matrix as an SVG heatmap with task names on both axes, rows and columns in the given order. */
export function heatmapSvg(values: ArrayLike<number>, T: number, names: string[], order: number[], title: string): string {
  const cell = Math.max(14, Math.min(28, Math.floor(480 / T)));
  const label = Math.min(190, 8 + 7 * Math.max(...names.map((n) => n.length)));
  const width = label + T * cell + 20;
  const height = 30 + T * cell + label + 24;
  let max = 0;
  for (let i = 0; i < T * T; i++) max = Math.max(max, values[i] as number);
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const color = (v: number): string => {
    // white (0) to dark blue (max): related tasks (small distance) stay light.
    const t = max > 0 ? Math.min(1, v / max) : 0;
    const c = (a: number, b: number): number => Math.round(a + (b - a) * t);
    return `rgb(${c(255, 8)},${c(255, 48)},${c(255, 107)})`;
  };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="4" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  order.forEach((i, r) => {
    parts.push(`<text x="${label - 4}" y="${30 + r * cell + cell * 0.7}" text-anchor="end">${esc(names[i]!)}</text>`);
    order.forEach((j, c) => {
      const v = values[i * T + j] as number;
      parts.push(`<rect x="${label + c * cell}" y="${30 + r * cell}" width="${cell}" height="${cell}" fill="${color(v)}"><title>${esc(names[i]!)} / ${esc(names[j]!)}: ${v.toPrecision(4)}</title></rect>`);
    });
  });
  order.forEach((i, c) => {
    parts.push(`<text transform="translate(${label + c * cell + cell * 0.7},${34 + T * cell}) rotate(60)" font-size="10">${esc(names[i]!)}</text>`);
  });
  parts.push(`<text x="4" y="${height - 6}" font-size="10">white = 0, darkest = ${max.toPrecision(3)}</text>`, '</svg>');
  return parts.join('\n');
}
