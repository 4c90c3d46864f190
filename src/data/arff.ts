/**
 * Multi-label ARFF data (data.md: CAL500, yeast) in the MULAN layout (label names in an XML file, labels
 * usually last) or the MEKA layout (`-C n` in the relation name: the first n attributes are labels, or the
 * last |n| when negative). Feature values are kept raw, not standardised: the engine feeds YouTube-8M raw as
 * the authors do, and a loader that silently rescaled would make ARFF runs incomparable; NaN and missing
 * values are rejected instead of being imputed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TaskSpec } from '../domain/model-spec.js';
import type { ArffSource, TaskGrouping } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../util/rng.js';
import type { MultiTaskDataset, Split } from './dataset.js';
import { withField } from './field-error.js';

export interface ArffAttribute {
  name: string;
  /** Nominal values in declaration order. Absent = numeric. */
  values?: string[];
  /** How each nominal value is stored: its number when all values are numbers ({0,1}), else its position. */
  codes?: number[];
}

export interface ArffData {
  relation: string;
  attributes: ArffAttribute[];
  rows: number;
  /** rows x attributes, row-major. */
  data: Float32Array;
}

/** Splits on commas outside single or double quotes, dropping the quotes. */
function splitQuoted(s: string): string[] {
  if (!/['"]/.test(s)) return s.split(',').map((t) => t.trim());
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote && ch === '\\' && i + 1 < s.length) cur += s[++i];
    else if (quote && ch === quote) quote = '';
    else if (quote) cur += ch;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const TOKEN = /^\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))\s*(.*)$/s;

/** A possibly quoted leading token (backslash escapes resolved) and the rest of the line. */
function firstToken(s: string): [string, string] {
  const m = TOKEN.exec(s);
  const quoted = m?.[1] ?? m?.[2];
  return [quoted !== undefined ? quoted.replace(/\\(.)/gs, '$1') : (m?.[3] ?? ''), (m?.[4] ?? '').trim()];
}

export function parseArff(text: string, file: string): ArffData {
  const name = path.basename(file);
  const lines = text.split(/\r?\n/);
  let relation = '';
  const attributes: ArffAttribute[] = [];
  let data = new Float32Array(0);
  let rows = 0;
  let inData = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!.trim();
    if (line === '' || line.startsWith('%')) continue;
    const fail = (what: string): InvalidArgumentError =>
      new InvalidArgumentError(`${name}: ${inData ? `row ${rows} (line ${ln + 1})` : `line ${ln + 1}`}: ${what}`);
    if (!inData) {
      const [kw, rest] = firstToken(line);
      const key = kw.toLowerCase();
      // Unquoted relation names with spaces are invalid ARFF but common in MEKA files ("@relation r -C 3").
      if (key === '@relation') relation = /^['"]/.test(rest) ? firstToken(rest)[0] : rest;
      else if (key === '@attribute') {
        const [attr, type] = firstToken(rest);
        if (type.startsWith('{')) {
          if (!type.endsWith('}')) throw fail(`unterminated nominal values of ${attr}`);
          const values = splitQuoted(type.slice(1, -1));
          const numeric = values.every((v) => v !== '' && Number.isFinite(Number(v)));
          attributes.push({ name: attr, values, codes: values.map((v, i) => (numeric ? Number(v) : i)) });
        } else if (['numeric', 'real', 'integer'].includes(type.toLowerCase())) attributes.push({ name: attr });
        else throw fail(`attribute ${attr} has unsupported type '${type}' (numeric and nominal only)`);
      } else if (key === '@data') {
        if (attributes.length === 0) throw fail('@data before any @attribute');
        inData = true;
        data = new Float32Array(attributes.length * 1024);
      } else throw fail(`unexpected '${kw}' in the header`);
      continue;
    }
    const A = attributes.length;
    if ((rows + 1) * A > data.length) {
      const bigger = new Float32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    const base = rows * A;
    const put = (j: number, tok: string): void => {
      const at = attributes[j];
      if (!at) throw fail(`attribute index ${j} out of range`);
      if (tok === '?') throw fail(`missing value for ${at.name}`);
      const k = at.values?.indexOf(tok) ?? 0;
      if (k < 0) throw fail(`'${tok}' is not a value of ${at.name}`);
      const v = at.codes ? at.codes[k]! : Number(tok);
      if (!Number.isFinite(v) || tok === '') throw fail(`'${tok}' is not a number (${at.name})`);
      data[base + j] = v;
    };
    if (line.startsWith('{')) {
      if (!line.endsWith('}')) throw fail('unterminated sparse row');
      // Omitted sparse values are 0, which for a nominal attribute means its first value.
      attributes.forEach((at, j) => (data[base + j] = at.codes?.[0] ?? 0));
      const body = line.slice(1, -1).trim();
      for (const pair of body === '' ? [] : splitQuoted(body)) {
        const [idx, val] = firstToken(pair);
        put(/^\d+$/.test(idx) ? Number(idx) : -1, val);
      }
    } else {
      const toks = splitQuoted(line);
      if (toks.length !== A) throw fail(`${toks.length} values, expected ${A}`);
      toks.forEach((tok, j) => put(j, tok));
    }
    rows++;
  }
  if (!inData) throw new InvalidArgumentError(`${name}: no @data section`);
  return { relation, attributes, rows, data: data.slice(0, rows * attributes.length) };
}

export async function readArff(file: string): Promise<ArffData> {
  return parseArff(await fs.readFile(file, 'utf8'), file);
}

/** Label names of a MULAN labels XML, in document order (nested, hierarchical labels included). */
export function parseLabelsXml(text: string, file: string): string[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InvalidArgumentError(`${path.basename(file)}: bad XML at line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, removeNSPrefix: true });
  const names: string[] = [];
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as Array<Record<string, unknown>>) {
      for (const [tag, children] of Object.entries(node)) {
        if (tag === ':@') continue;
        const attrs = node[':@'] as Record<string, unknown> | undefined;
        if (tag === 'label' && attrs?.name !== undefined) names.push(String(attrs.name));
        walk(children);
      }
    }
  };
  walk(parser.parse(text));
  return names;
}

/** CAL500's eight label groups (data.md), recognised from the label names, with their expected sizes. */
export const CAL500_GROUPS: ReadonlyArray<readonly [string, number]> = [
  ['Emotion', 36], ['Genre', 31], ['Genre-Best', 16], ['Instrument', 24],
  ['Instrument-Solo', 9], ['Song', 27], ['Usage', 15], ['Vocals', 16],
];
const CAL500_MERGE: Record<string, string> = { 'Genre-Best': 'Genre', 'Instrument-Solo': 'Instrument' };

export function cal500Group(label: string): string | undefined {
  if (label === 'Angry-Agressive' || /^(NOT-)?Emotion-/.test(label)) return 'Emotion';
  if (label.startsWith('Genre-Best-')) return 'Genre-Best';
  if (label.startsWith('Genre-')) return 'Genre';
  if (label.startsWith('Instrument')) return label.endsWith('-Solo') ? 'Instrument-Solo' : 'Instrument';
  if (/^(NOT-)?Song-/.test(label)) return 'Song';
  if (label.startsWith('Usage-')) return 'Usage';
  if (label.startsWith('Vocals-')) return 'Vocals';
  return undefined;
}

/** The relation without MEKA's options ("yeast: -C 14" and "r -C 3" name "yeast" and "r"). */
function relationName(relation: string): string {
  return relation.replace(/:.*$/s, '').replace(/\s+-\w.*$/s, '').trim();
}

interface Group {
  task: string;
  labels: string[];
}

const F = 'dataset.arff';

/** The tasks of a grouping; every group's labels are in the order the ARFF declares them. */
export function groupLabels(labels: string[], grouping: TaskGrouping, relation: string, explicit: Group[] = []): Group[] {
  const byKey = (key: (l: string) => string): Group[] => {
    const m = new Map<string, string[]>();
    for (const l of labels) m.set(key(l), [...(m.get(key(l)) ?? []), l]);
    return [...m].map(([task, ls]) => ({ task, labels: ls }));
  };
  switch (grouping) {
    case 'single':
      return [{ task: relationName(relation) || 'labels', labels }];
    case 'prefix':
      return byKey((l) => l.split('-')[0]!);
    case 'cal500':
    case 'cal500-6': {
      const stray = labels.find((l) => cal500Group(l) === undefined);
      if (stray) throw InvalidArgumentError.field(`${F}.task_grouping`, `label '${stray}' belongs to no CAL500 group`);
      const eight = byKey((l) => cal500Group(l)!);
      for (const [g, size] of CAL500_GROUPS) {
        const got = eight.find((x) => x.task === g)?.labels.length ?? 0;
        if (got !== size) throw InvalidArgumentError.field(`${F}.task_grouping`, `CAL500 group ${g} has ${got} labels, expected ${size}`);
      }
      const merge = grouping === 'cal500-6' ? (g: string): string => CAL500_MERGE[g] ?? g : (g: string): string => g;
      const rank = (g: string): number => CAL500_GROUPS.findIndex(([name]) => name === g);
      return byKey((l) => merge(cal500Group(l)!)).sort((x, y) => rank(x.task) - rank(y.task));
    }
    case 'explicit': {
      if (explicit.length === 0) throw InvalidArgumentError.field(`${F}.groups`, 'explicit grouping needs at least one group');
      const known = new Set(labels);
      const names = new Set<string>();
      explicit.forEach((g, i) => {
        if (!g.task || names.has(g.task)) throw InvalidArgumentError.field(`${F}.groups[${i}].task`, `task name '${g.task}' is empty or repeated`);
        names.add(g.task);
        if (g.labels.length === 0) throw InvalidArgumentError.field(`${F}.groups[${i}].labels`, 'a group needs at least one label');
        g.labels.forEach((l, j) => {
          const bad = !known.has(l) ? `unknown label '${l}'` : g.labels.indexOf(l) < j ? `label '${l}' is listed twice` : '';
          if (bad) throw InvalidArgumentError.field(`${F}.groups[${i}].labels[${j}]`, bad);
        });
      });
      // The given order is the head order, so clients control class indices.
      return explicit.map((g) => ({ task: g.task, labels: [...g.labels] }));
    }
    default:
      throw InvalidArgumentError.field(`${F}.task_grouping`, `unknown grouping '${String(grouping)}'`);
  }
}

/**
 * Which attributes are labels: those the XML names; else MEKA's `-C n`; else the trailing run of {0,1}
 * attributes, which is how MULAN files without their XML (yeast) lay them out.
 */
function labelAttributes(a: ArffData, xmlNames: string[] | undefined): number[] {
  const index = new Map(a.attributes.map((at, i) => [at.name, i]));
  if (xmlNames) {
    const idx = xmlNames.map((n) => {
      const i = index.get(n);
      if (i === undefined) throw InvalidArgumentError.field(`${F}.labels_xml_path`, `label '${n}' is not an attribute of the ARFF`);
      return i;
    });
    if (new Set(idx).size !== idx.length) throw InvalidArgumentError.field(`${F}.labels_xml_path`, 'a label is named twice');
    return idx.sort((x, y) => x - y);
  }
  const A = a.attributes.length;
  const meka = /(?:^|[\s:'"])-C\s+(-?\d+)/.exec(a.relation);
  if (meka) {
    const c = Number(meka[1]);
    if (c === 0 || Math.abs(c) >= A) throw InvalidArgumentError.field(`${F}.path`, `relation's -C ${c} does not fit ${A} attributes`);
    return Array.from({ length: Math.abs(c) }, (_, i) => (c > 0 ? i : A + c + i));
  }
  const binary = (at: ArffAttribute): boolean => at.values?.length === 2 && at.values[0] === '0' && at.values[1] === '1';
  let first = A;
  while (first > 0 && binary(a.attributes[first - 1]!)) first--;
  if (first === A || first === 0) throw InvalidArgumentError.field(`${F}.labels_xml_path`, 'cannot tell the labels apart: give the MULAN labels XML');
  return Array.from({ length: A - first }, (_, i) => first + i);
}


/** Paths already resolved. Empty testPath: a seeded split by the fractions; empty labelsXmlPath: MEKA or trailing {0,1}. */
export type ArffOptions = Omit<ArffSource, 'kind' | 'datasetId'>;

export async function loadArff(opts: ArffOptions): Promise<MultiTaskDataset> {
  const load = <T>(read: (file: string) => Promise<T>, field: string, file: string): Promise<T> =>
    read(file).catch((err: unknown) => Promise.reject(withField(err, `${F}.${field}`, file)));
  if (!opts.path) throw InvalidArgumentError.field(`${F}.path`, 'is required');
  const train = await load(readArff, 'path', opts.path);
  const test = opts.testPath ? await load(readArff, 'test_path', opts.testPath) : undefined;
  const sameHeader = (b: ArffData): boolean =>
    b.attributes.length === train.attributes.length && b.attributes.every((at, i) => at.name === train.attributes[i]!.name);
  if (test && !sameHeader(test)) throw InvalidArgumentError.field(`${F}.test_path`, 'attributes differ from the train file');
  const readXml = async (file: string): Promise<string[]> => parseLabelsXml(await fs.readFile(file, 'utf8'), file);
  const xml = opts.labelsXmlPath ? await load(readXml, 'labels_xml_path', opts.labelsXmlPath) : undefined;
  const labelIdx = labelAttributes(train, xml);
  const isLabel = new Set(labelIdx);
  const featIdx = train.attributes.map((_, i) => i).filter((i) => !isLabel.has(i));
  if (featIdx.length === 0) throw InvalidArgumentError.field(`${F}.path`, 'no feature attributes');
  const groups = groupLabels(labelIdx.map((i) => train.attributes[i]!.name), opts.taskGrouping, train.relation, opts.groups);
  const attrOf = new Map(labelIdx.map((i) => [train.attributes[i]!.name, i]));
  const taskAttrs = groups.map((g) => g.labels.map((l) => attrOf.get(l)!));

  const frac = (v: number, f: string): number => {
    if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw InvalidArgumentError.field(`${F}.${f}`, 'must be in [0, 1)');
    return v;
  };
  const validFraction = frac(opts.validFraction, 'valid_fraction');
  const testFraction = test ? 0 : frac(opts.testFraction, 'test_fraction');
  if (validFraction + testFraction >= 1) throw InvalidArgumentError.field(`${F}.valid_fraction`, 'valid + test fractions must be < 1');
  const order = new Rng(opts.splitSeed, 0xa7ff).shuffle(Int32Array.from({ length: train.rows }, (_, i) => i));
  const nTest = Math.round(train.rows * testFraction);
  const nValid = Math.round(train.rows * validFraction);
  const part = (from: number, to: number): Int32Array => order.slice(from, to).sort();

  /** Every source row is built exactly once, so label values are checked here. */
  const build = (d: ArffData, rows: ArrayLike<number>, file: string, field: string): Split => {
    const A = d.attributes.length;
    const D = featIdx.length;
    const kept: number[] = [];
    const perTask = taskAttrs.map(() => ({ rows: [] as number[], labels: [] as number[] }));
    for (let k = 0; k < rows.length; k++) {
      const base = rows[k]! * A;
      let joined = false;
      taskAttrs.forEach((attrs, t) => {
        for (const j of attrs) {
          const v = d.data[base + j];
          const what = `${path.basename(file)}: row ${rows[k]}: label ${d.attributes[j]!.name} is ${v}, not 0 or 1`;
          if (v !== 0 && v !== 1) throw new InvalidArgumentError(what, [{ field: `${F}.${field}`, description: what }]);
        }
        if (!attrs.some((j) => d.data[base + j] === 1)) return;
        joined = true;
        perTask[t]!.rows.push(kept.length);
        for (const j of attrs) perTask[t]!.labels.push(d.data[base + j]!);
      });
      // The authors' rule: an example joins only the tasks it has a positive label of; none, and it is unused.
      if (joined) kept.push(rows[k]!);
    }
    const x = new Float32Array(kept.length * D);
    kept.forEach((src, i) => featIdx.forEach((j, f) => (x[i * D + f] = d.data[src * A + j]!)));
    return { x, n: kept.length, tasks: perTask.map((p) => ({ rows: Int32Array.from(p.rows), labels: Uint8Array.from(p.labels) })) };
  };
  const tasks: TaskSpec[] = groups.map((g) => ({ name: g.task, labels: g.labels }));
  const trainSplit = build(train, part(nTest + nValid, train.rows), opts.path, 'path');
  if (trainSplit.n === 0) throw InvalidArgumentError.field(`${F}.path`, 'no training example has a positive label');
  return {
    name: relationName(train.relation) || path.basename(opts.path, '.arff'),
    inputDim: featIdx.length,
    tasks,
    train: trainSplit,
    valid: build(train, part(nTest, nTest + nValid), opts.path, 'path'),
    test: test
      ? build(test, Int32Array.from({ length: test.rows }, (_, i) => i), opts.testPath, 'test_path')
      : build(train, part(0, nTest), opts.path, 'path'),
  };
}
