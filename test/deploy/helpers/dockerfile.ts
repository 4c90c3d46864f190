/**
 * The Dockerfile as stages, through dockerfile-ast (the parser behind the VS Code Docker extension): what each stage
 * starts from (build args resolved to their defaults), its WORKDIR, RUN commands, COPY instructions, USER, EXPOSE,
 * ENV, ENTRYPOINT and CMD. No Docker engine is needed or used.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Copy as CopyInstruction, DockerfileParser, JSONInstruction, type Instruction } from 'dockerfile-ast';

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  /** Destination resolved against the stage's WORKDIR. */
  destAbs: string;
}

export interface Stage {
  name: string;
  index: number;
  /** Base image with ARG defaults substituted. */
  image: string;
  workdir: string;
  runs: string[];
  copies: Copy[];
  env: Record<string, string>;
  user?: string;
  expose: string[];
  entrypoint?: { exec: boolean; args: string[] };
  cmd?: { exec: boolean; args: string[] };
  stopsignal?: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  text: string;
  args: Record<string, string>;
  stages: Stage[];
}

function substitute(s: string, vars: Record<string, string>): string {
  return s.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? m);
}

function commandForm(ins: Instruction): { exec: boolean; args: string[] } {
  if (ins instanceof JSONInstruction && ins.getJSONStrings().length > 0) {
    return { exec: true, args: ins.getJSONStrings().map((s) => s.getJSONValue()) };
  }
  return { exec: false, args: [ins.getArgumentsContent() ?? ''] };
}

export function parseDockerfile(file: string): ParsedDockerfile {
  const text = readFileSync(file, 'utf8');
  const df = DockerfileParser.parse(text);
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  let cur: Stage | undefined;
  for (const ins of df.getInstructions()) {
    const kw = ins.getKeyword();
    const argv = ins.getArguments().map((a) => a.getValue());
    if (kw === 'FROM') {
      const image = substitute(argv[0] ?? '', args);
      const asAt = argv.findIndex((a) => a.toUpperCase() === 'AS');
      cur = {
        name: asAt >= 0 ? argv[asAt + 1]! : String(stages.length),
        index: stages.length,
        image,
        workdir: '/',
        runs: [],
        copies: [],
        env: {},
        expose: [],
        instructions: [],
      };
      // A stage built FROM another stage inherits its settings.
      const parent = stages.find((s) => s.name === image);
      if (parent) Object.assign(cur, { workdir: parent.workdir, env: { ...parent.env }, user: parent.user, expose: [...parent.expose], entrypoint: parent.entrypoint, cmd: parent.cmd });
      stages.push(cur);
      continue;
    }
    if (!cur) {
      if (kw === 'ARG') {
        for (const a of argv) {
          const eq = a.indexOf('=');
          if (eq > 0) args[a.slice(0, eq)] = a.slice(eq + 1);
        }
        continue;
      }
      throw new Error(`${kw} before the first FROM`);
    }
    cur.instructions.push(ins);
    switch (kw) {
      case 'WORKDIR':
        cur.workdir = path.posix.resolve(cur.workdir, substitute(argv[0] ?? '', { ...args, ...cur.env }));
        break;
      case 'RUN':
        cur.runs.push(ins.getArgumentsContent() ?? '');
        break;
      case 'COPY':
      case 'ADD': {
        // dockerfile-ast keeps --flags out of the arguments.
        const rest = ins instanceof JSONInstruction && ins.getJSONStrings().length > 0 ? ins.getJSONStrings().map((s) => s.getJSONValue()) : argv;
        const from = ins instanceof CopyInstruction ? (ins.getFromFlag()?.getValue() ?? undefined) : undefined;
        const dest = rest.at(-1) ?? '';
        cur.copies.push({ ...(from ? { from } : {}), sources: rest.slice(0, -1), dest, destAbs: path.posix.resolve(cur.workdir, dest) });
        break;
      }
      case 'ENV': {
        const content = ins.getArgumentsContent() ?? '';
        for (const m of content.matchAll(/(\w+)=("[^"]*"|\S+)/g)) cur.env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
        break;
      }
      case 'USER':
        cur.user = argv[0];
        break;
      case 'EXPOSE':
        cur.expose.push(...argv);
        break;
      case 'ENTRYPOINT':
        cur.entrypoint = commandForm(ins);
        break;
      case 'CMD':
        cur.cmd = commandForm(ins);
        break;
      case 'STOPSIGNAL':
        cur.stopsignal = argv[0];
        break;
      default:
        break;
    }
  }
  return { text, args, stages };
}

/** The argv a container of this stage runs (ENTRYPOINT + CMD, exec form). */
export function containerArgv(stage: Stage): string[] {
  return [...(stage.entrypoint?.args ?? []), ...(stage.cmd?.args ?? [])];
}

/**
 * Docker's .dockerignore semantics, for the patterns this repository uses: paths relative to the context root,
 * `*` and `?` within a segment, `**` across segments, a leading `!` re-includes; the last matching pattern wins.
 * A pattern also excludes everything under a directory it matches.
 */
export function dockerignoreMatcher(text: string): (relPath: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const re = pattern
        .split('/')
        .map((seg) => (seg === '**' ? '(?:.*)' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
      return { negate, re: new RegExp(`^${re}(?:/.*)?$`) };
    });
  return (relPath: string) => {
    let excluded = false;
    for (const r of rules) if (r.re.test(relPath)) excluded = !r.negate;
    return excluded;
  };
}
