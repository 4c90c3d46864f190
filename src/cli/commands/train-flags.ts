/**
 * `taan train` flags are derived from TrainJobRequest in the proto itself (field names in kebab-case, nested
 * dataset messages as prefixes: --synthetic-tasks, --yt8m-train-files, --arff-path), with the proto comments as
 * help, so a field added to the contract is a flag without touching the CLI.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import path from 'node:path';
import protobuf from 'protobufjs';
import { DEFAULT_SPLIT, DEFAULT_YT8M_SPLIT } from '../../domain/train-request.js';
import type { TrainJobRequest } from '../../grpc/generated/taan/v1/TrainJobRequest.js';
import { PROTO_DIR } from '../../grpc/proto.js';
import { CliError } from '../errors.js';

type Kind = 'int' | 'number' | 'string' | 'bool' | 'enum' | 'group';

export interface TrainFlag {
  flag: string;
  /** Commander's attribute name of the flag. */
  attr: string;
  /** Where the value goes in the request, e.g. ['synthetic', 'tasks']. */
  path: string[];
  kind: Kind;
  repeated: boolean;
  enumValues?: string[];
  /** Short enum name (RUNNING) -> wire name (MEASURE_RUNNING). */
  enumWire?: Record<string, string>;
  /** Field names of a name-and-list message (LabelGroup: task, labels). */
  groupFields?: [string, string];
  help: string;
}

// Help for fields the proto leaves uncommented.
const HELP: Record<string, string> = {
  model_name: 'name the model is published under (required)',
  submission_id: 'idempotency key: submitting it again returns the existing job',
  architecture: 'network family; default TAAN',
  regularizer: 'functional regularizer of the activations; default NONE',
  seed: 'seed of initialisation and sampling',
  measure: 'measure under which activation functions are compared; default STANDARD',
  loss_weighting: 'how the tasks\' losses are combined; default EQUAL (docs/baselines.md)',
  'synthetic.seed': 'seed of the generated data',
  'yt8m.valid_files': 'validation TFRecords (paths or globs)',
  'yt8m.test_files': 'test TFRecords (paths or globs)',
  'yt8m.vocabulary_path': 'vocabulary CSV; its Vertical1 column defines the tasks',
  'yt8m.valid_fraction': `without valid/test files: validation share of the train videos, split by a hash of the video id; default ${DEFAULT_YT8M_SPLIT.validFraction}`,
  'yt8m.test_fraction': `without valid/test files: test share of that split; default ${DEFAULT_YT8M_SPLIT.testFraction}`,
  'yt8m.split_seed': 'salt of the id hash (0: the id alone)',
  'arff.path': 'ARFF file (train, or everything when no test_path)',
  'arff.test_path': 'test ARFF file; otherwise a seeded split of path',
  'arff.valid_fraction': `validation share of the seeded split; default ${DEFAULT_SPLIT.validFraction}`,
  'arff.test_fraction': `test share of the seeded split (without test_path); default ${DEFAULT_SPLIT.testFraction}`,
  'arff.split_seed': 'seed of that split',
  'arff.dataset_id': 'an uploaded dataset; the paths above are then relative to it',
  'arff.labels_xml_path': 'MULAN labels XML',
  'arff.groups': 'explicit task grouping, TASK=LABEL,LABEL (repeat the flag per task)',
};

const INT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64']);

let cachedFlags: TrainFlag[] | undefined;

function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function kindOf(field: protobuf.Field): Kind {
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  if (field.resolvedType instanceof protobuf.Type) return 'group';
  if (INT_TYPES.has(field.type)) return 'int';
  if (field.type === 'double' || field.type === 'float') return 'number';
  if (field.type === 'bool') return 'bool';
  return 'string';
}

function nameAndList(t: protobuf.Type): [string, string] | undefined {
  const [a, b, ...rest] = t.fieldsArray;
  const ok = rest.length === 0 && a?.type === 'string' && !a.repeated && b?.type === 'string' && b.repeated;
  return ok ? [a.name, b.name] : undefined;
}

/** Enum values without UNSPECIFIED, keyed by their name without the common prefix (RUNNING -> MEASURE_RUNNING). */
function enumChoices(e: protobuf.Enum): Record<string, string> {
  const names = Object.keys(e.values).filter((n) => !n.endsWith('_UNSPECIFIED'));
  const prefix = `${e.name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_`;
  return Object.fromEntries(names.map((n) => [n.startsWith(prefix) ? n.slice(prefix.length) : n, n]));
}

export function trainFlags(): TrainFlag[] {
  if (cachedFlags) return cachedFlags;
  const root = new protobuf.Root().loadSync(path.join(PROTO_DIR, 'taan/v1/taan.proto'), { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  const request = root.lookupType('taan.v1.TrainJobRequest');
  const flags: TrainFlag[] = [];
  const add = (field: protobuf.Field, prefix: string[]): void => {
    const p = [...prefix, field.name];
    const flag = `--${p.join('-').replace(/_/g, '-')}`;
    const kind = kindOf(field);
    // Only messages shaped like LabelGroup (a name and a list) fit on a flag; others stay --request-file only.
    const groupFields = kind === 'group' ? nameAndList(field.resolvedType as protobuf.Type) : undefined;
    if (kind === 'group' && !groupFields) return;
    const e = field.resolvedType instanceof protobuf.Enum ? field.resolvedType : undefined;
    const wire = e ? enumChoices(e) : undefined;
    const choices = wire ? Object.keys(wire) : undefined;
    const base = HELP[p.join('.')] ?? field.comment ?? `${field.parent?.name ?? ''}.${field.name}`;
    const suffix = choices ? ` (${choices.join(', ')})` : field.repeated && kind !== 'group' ? ' (comma-separated)' : '';
    flags.push({ flag, attr: camel(flag), path: p, kind, repeated: field.repeated, enumValues: choices, enumWire: wire, groupFields, help: base + suffix });
  };
  for (const field of request.fieldsArray) {
    // A dataset message of the oneof becomes a family of prefixed flags; other messages stay JSON-only.
    if (field.resolvedType instanceof protobuf.Type && field.partOf?.name === 'dataset') {
      for (const sub of field.resolvedType.fieldsArray) add(sub, [field.name]);
    } else {
      add(field, []);
    }
  }
  cachedFlags = flags;
  return flags;
}

/** The oneof `dataset` members, in the order the proto declares them. */
const DATASETS = ['synthetic', 'yt8m', 'arff', 'dataset_id'] as const;

function parseOne(f: TrainFlag, raw: string): unknown {
  const bad = (what: string): never => {
    throw new InvalidArgumentError(what[0]!.toUpperCase() + what.slice(1) + '.');
  };
  const v = raw.trim();
  switch (f.kind) {
    case 'int':
      return /^[+-]?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : bad('must be an integer');
    case 'number':
      return v !== '' && Number.isFinite(Number(v)) ? Number(v) : bad('must be a number');
    case 'bool':
      return /^(true|1|yes|on)$/i.test(v) ? true : /^(false|0|no|off)$/i.test(v) ? false : bad('must be true or false');
    case 'enum': {
      const norm = v.toUpperCase().replace(/-/g, '_');
      const wire = f.enumWire?.[norm] ?? Object.values(f.enumWire ?? {}).find((w) => w === norm);
      return wire ?? bad(`must be one of ${(f.enumValues ?? []).join(', ')}`);
    }
    case 'group': {
      const m = /^([^=]+)=(.+)$/.exec(v);
      if (!m) return bad('must be TASK=LABEL,LABEL');
      const [name, list] = f.groupFields ?? ['name', 'values'];
      return { [name]: m[1]!.trim(), [list]: m[2]!.split(',').map((x) => x.trim()).filter(Boolean) };
    }
    default:
      return raw;
  }
}

export function addTrainOptions(cmd: Command): void {
  cmd.option('--synthetic', 'train on the built-in synthetic dataset (its defaults unless --synthetic-* say otherwise)');
  for (const f of trainFlags()) {
    const placeholder = f.kind === 'bool' ? '[bool]' : f.kind === 'group' ? '<task=labels>' : `<${f.kind === 'enum' ? 'name' : f.kind}${f.repeated ? 's' : ''}>`;
    const o = new Option(`${f.flag} ${placeholder}`, f.help);
    o.argParser((value: string, previous: unknown) => {
      if (!f.repeated) return parseOne(f, value);
      const items = f.kind === 'group' ? [value] : value.split(',').filter((s) => s.trim() !== '');
      return [...((previous as unknown[] | undefined) ?? []), ...items.map((x) => parseOne(f, x))];
    });
    cmd.addOption(o);
  }
}

function setPath(target: Record<string, unknown>, p: string[], value: unknown): void {
  let o = target;
  for (const k of p.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[p.at(-1)!] = value;
}

/** Flags over an optional base request (from --request-file); exactly one dataset must result. */
export function buildTrainRequest(opts: Record<string, unknown>, base: Record<string, unknown> = {}): TrainJobRequest {
  const req: Record<string, unknown> = structuredClone(base);
  const chosen = new Set<string>();
  if (opts['synthetic'] === true) chosen.add('synthetic');
  for (const f of trainFlags()) {
    const v = opts[f.attr];
    if (v === undefined) continue;
    const dataset = DATASETS.find((d) => d === f.path[0]);
    if (dataset) chosen.add(dataset);
    setPath(req, f.path, v);
  }
  if (chosen.size > 1) {
    throw new CliError(`choose one dataset, got flags for ${[...chosen].join(' and ')}`);
  }
  if (chosen.size === 1) {
    // Flags pick the dataset: drop whatever the request file chose.
    for (const d of DATASETS) if (!chosen.has(d)) delete req[d];
    if (chosen.has('synthetic')) req['synthetic'] ??= {};
  }
  if (!DATASETS.some((d) => req[d] !== undefined)) {
    throw new CliError('no dataset: give --synthetic, --yt8m-train-files, --arff-path or --dataset-id (or a --request-file)');
  }
  if (typeof req['model_name'] !== 'string' || req['model_name'] === '') throw new CliError('--model-name is required');
  return req as TrainJobRequest;
}
