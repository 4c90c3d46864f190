/**
 * Checks JSON/YAML data against TypeScript declarations that a maintained package ships (kubernetes-models' types,
 * generated from the Kubernetes OpenAPI schemas; @grafana/schema's dashboard types), with the TypeScript compiler
 * API: every key must be a declared property (or fit an index signature), required properties must be present, and
 * strings, numbers, booleans and literal unions must match. This is the "strict" half of schema validation: the
 * OpenAPI schemas themselves allow unknown fields, which the API server then silently drops (a misspelt
 * `readinessProbe.perodSeconds` would be lost without an error).
 */
import path from 'node:path';
import ts from 'typescript';
import { REPO } from './paths.js';

export interface ShapeImport {
  /** Module specifier, resolved from the repository as the project resolves packages. */
  from: string;
  /** Exported type name. */
  name: string;
}

export interface CheckOptions {
  /** Paths (dotted, `[i]` for items) where a declared `any` is accepted; elsewhere `any` means an unresolved import. */
  anyAllowed?: (pathText: string) => boolean;
}

const VIRTUAL = path.join(REPO, 'test/deploy/__shapes__.ts');

export class TypeShapes {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor(imports: Record<string, ShapeImport>) {
    const aliases = Object.entries(imports);
    const source = aliases
      .map(([alias, imp], i) => `import type { ${imp.name} as __I${i} } from '${imp.from}';\nexport type ${alias} = __I${i};`)
      .join('\n');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) =>
      path.resolve(file) === VIRTUAL ? ts.createSourceFile(file, source, lang, true) : getSourceFile(file, lang, ...rest);
    host.fileExists = (file) => path.resolve(file) === VIRTUAL || fileExists(file);
    host.readFile = (file) => (path.resolve(file) === VIRTUAL ? source : readFile(file));
    const program = ts.createProgram([VIRTUAL], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(VIRTUAL));
    if (diagnostics.length > 0) {
      throw new Error(`type imports do not resolve: ${ts.formatDiagnostics(diagnostics, host)}`);
    }
    this.checker = program.getTypeChecker();
    const sf = program.getSourceFile(VIRTUAL)!;
    for (const stmt of sf.statements) {
      if (ts.isTypeAliasDeclaration(stmt)) this.types.set(stmt.name.text, this.checker.getTypeAtLocation(stmt.name));
    }
    for (const [alias] of aliases) {
      const t = this.types.get(alias);
      if (!t || t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) throw new Error(`type ${alias} resolved to any`);
    }
  }

  /** Problems of `value` as a `alias`; empty when it conforms. */
  check(alias: string, value: unknown, opts: CheckOptions = {}): string[] {
    const t = this.types.get(alias);
    if (!t) throw new Error(`unknown type alias ${alias}`);
    const problems: string[] = [];
    this.walk(value, t, '', problems, opts);
    return problems;
  }

  private show(t: ts.Type): string {
    return this.checker.typeToString(t);
  }

  private walk(value: unknown, declared: ts.Type, at: string, problems: string[], opts: CheckOptions): void {
    const where = at === '' ? '<root>' : at;
    // `unknown` is declared on purpose (plugin-defined options, Record<string, unknown>); `any` is what an import
    // that does not resolve turns into.
    if (declared.flags & ts.TypeFlags.Unknown) return;
    if (declared.flags & ts.TypeFlags.Any) {
      if (!opts.anyAllowed?.(at)) problems.push(`${where}: declared type is any (unresolved?)`);
      return;
    }
    if (value === null) {
      if (!(declared.flags & ts.TypeFlags.Null) && !(declared.isUnion() && declared.types.some((m) => m.flags & ts.TypeFlags.Null))) {
        problems.push(`${where}: null where ${this.show(declared)} is expected`);
      }
      return;
    }
    const t = this.checker.getNonNullableType(declared);
    if (t.isUnion()) {
      const members = t.types;
      if (typeof value !== 'object') {
        if (!members.some((m) => this.primitiveFits(value, m))) problems.push(`${where}: ${JSON.stringify(value)} is not a ${this.show(t)}`);
        return;
      }
      const candidates = members.filter((m) => this.isObjectLike(m, value));
      if (candidates.length === 0) {
        problems.push(`${where}: ${Array.isArray(value) ? 'a list' : 'an object'} where ${this.show(t)} is expected`);
        return;
      }
      let best: string[] | undefined;
      for (const m of candidates) {
        const mine: string[] = [];
        this.walk(value, m, at, mine, opts);
        if (mine.length === 0) return;
        if (!best || mine.length < best.length) best = mine;
      }
      problems.push(...best!);
      return;
    }
    if (typeof value !== 'object') {
      if (!this.primitiveFits(value, t)) problems.push(`${where}: ${JSON.stringify(value)} is not a ${this.show(t)}`);
      return;
    }
    if (Array.isArray(value)) {
      if (!this.checker.isArrayType(t) && !this.checker.isTupleType(t)) {
        problems.push(`${where}: a list where ${this.show(t)} is expected`);
        return;
      }
      const args = this.checker.getTypeArguments(t as ts.TypeReference);
      value.forEach((item, i) => this.walk(item, (this.checker.isTupleType(t) ? args[i] : args[0]) ?? t, `${at}[${i}]`, problems, opts));
      return;
    }
    if (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) {
      problems.push(`${where}: an object where ${this.show(t)} is expected`);
      return;
    }
    const record = value as Record<string, unknown>;
    const stringIndex = this.checker.getIndexInfosOfType(t).find((i) => i.keyType.flags & ts.TypeFlags.String);
    for (const [key, v] of Object.entries(record)) {
      const child = at === '' ? key : `${at}.${key}`;
      const prop = this.checker.getPropertyOfType(t, key);
      if (prop) this.walk(v, this.checker.getTypeOfSymbol(prop), child, problems, opts);
      else if (stringIndex) this.walk(v, stringIndex.type, child, problems, opts);
      else problems.push(`${child}: unknown field (not in ${this.show(t)})`);
    }
    for (const prop of this.checker.getPropertiesOfType(t)) {
      if (prop.flags & ts.SymbolFlags.Optional || prop.getName() in record) continue;
      const propType = this.checker.getTypeOfSymbol(prop);
      if (propType.flags & ts.TypeFlags.Undefined) continue;
      problems.push(`${at === '' ? '' : `${at}.`}${prop.getName()}: required field missing`);
    }
  }

  private isObjectLike(t: ts.Type, value: object): boolean {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    if (Array.isArray(value)) return this.checker.isArrayType(t) || this.checker.isTupleType(t);
    return !!(t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection | ts.TypeFlags.NonPrimitive)) && !this.checker.isArrayType(t);
  }

  private primitiveFits(value: unknown, t: ts.Type): boolean {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    if (t.isUnion()) return t.types.some((m) => this.primitiveFits(value, m));
    switch (typeof value) {
      case 'string':
        if (t.isStringLiteral()) return t.value === value;
        return !!(t.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral));
      case 'number':
        if (t.isNumberLiteral()) return t.value === value;
        return !!(t.flags & ts.TypeFlags.Number);
      case 'boolean':
        if (t.flags & ts.TypeFlags.BooleanLiteral) return this.show(t) === String(value);
        return !!(t.flags & ts.TypeFlags.Boolean);
      default:
        return false;
    }
  }
}
