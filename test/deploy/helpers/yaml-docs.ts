/**
 * Strict YAML loading for deploy files. Kubernetes and Prometheus read YAML with Go parsers that follow YAML 1.1
 * (`on`/`yes` are booleans, `0440` is octal), the `yaml` package defaults to 1.2: every document is parsed both ways
 * and must mean the same, so no scalar changes meaning between the tests and the cluster.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';

function parseAs(text: string, file: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
  const out: unknown[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`${file} (YAML ${version}): ${problems.map((p) => p.message).join('; ')}`);
    const value: unknown = doc.toJS({ maxAliasCount: 0 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function parseYamlDocs(text: string, file = '<text>'): unknown[] {
  const v12 = parseAs(text, file, '1.2');
  const v11 = parseAs(text, file, '1.1');
  if (!isDeepStrictEqual(v12, v11)) {
    throw new Error(`${file}: a scalar reads differently in YAML 1.1 (Go parsers) and 1.2; quote it`);
  }
  return v12;
}

export function loadYamlDocs(file: string): unknown[] {
  return parseYamlDocs(readFileSync(file, 'utf8'), file);
}

export function loadYaml(file: string): unknown {
  const docs = loadYamlDocs(file);
  if (docs.length !== 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
