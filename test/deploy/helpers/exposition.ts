/** The Prometheus text exposition format, parsed into samples: name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[3] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const at = LABEL.lastIndex;
      const l = LABEL.exec(body);
      if (!l) throw new Error(`bad labels at ${at} in: ${line}`);
      labels[l[1]!] = JSON.parse(`"${l[2]!}"`) as string;
    }
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return samples;
}

/** For each sample name: its label names and, per label, the values seen. */
export function labelIndex(samples: Sample[]): Map<string, Map<string, Set<string>>> {
  const index = new Map<string, Map<string, Set<string>>>();
  for (const s of samples) {
    const labels = index.get(s.name) ?? new Map<string, Set<string>>();
    index.set(s.name, labels);
    for (const [k, v] of Object.entries(s.labels)) {
      const values = labels.get(k) ?? new Set<string>();
      labels.set(k, values);
      values.add(v);
    }
  }
  return index;
}
