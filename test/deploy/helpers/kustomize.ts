/**
 * A renderer for exactly the kustomize features deploy/k8s uses: `resources` (files and other kustomizations),
 * `patches` (strategic-merge patch files whose target is their own kind + name; a patch document whose top level is
 * `$patch: delete` removes its target) and `images` (newName/newTag/digest). Anything else in a kustomization.yaml,
 * and any other `$` directive in a patch, is an error here, so a new feature cannot slip in unrendered.
 *
 * The strategic merge follows Kubernetes' rules for the lists these manifests patch: lists with a patch merge key are
 * merged item by item (containers, env and volumes by name, volumeMounts by mountPath, container ports by
 * containerPort, Service ports by port); other lists are replaced; `null` deletes a key.
 *
 * The test compares its output with what kustomize itself rendered (`kustomizeGolden`), on every machine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord, loadYaml, loadYamlDocs, parseYamlDocs } from './yaml-docs.js';

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } & Record<string, unknown> };

const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../kustomize-golden');

const SUPPORTED_KEYS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'images']);

export function asManifest(doc: unknown, where: string): Manifest {
  if (!isRecord(doc) || typeof doc['apiVersion'] !== 'string' || typeof doc['kind'] !== 'string') {
    throw new Error(`${where}: not a Kubernetes object (apiVersion and kind)`);
  }
  const meta = doc['metadata'];
  if (!isRecord(meta) || typeof meta['name'] !== 'string') throw new Error(`${where}: metadata.name missing`);
  return doc as Manifest;
}

export const idOf = (m: { kind: string; metadata: { name: string } }): string => `${m.kind}/${m.metadata.name}`;

export function kustomizationFile(dir: string): string {
  const file = path.join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  return file;
}

export function readKustomization(dir: string): Record<string, unknown> {
  const k = loadYaml(kustomizationFile(dir));
  if (!isRecord(k)) throw new Error(`${dir}/kustomization.yaml: not a mapping`);
  if (k['apiVersion'] !== 'kustomize.config.k8s.io/v1beta1' || k['kind'] !== 'Kustomization') {
    throw new Error(`${dir}/kustomization.yaml: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  for (const key of Object.keys(k)) {
    if (!SUPPORTED_KEYS.has(key)) throw new Error(`${dir}/kustomization.yaml: '${key}' is not rendered by test/deploy/helpers/kustomize.ts`);
  }
  return k;
}

function stringList(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${what}: expected a list of strings`);
  return v;
}

export function render(dir: string): Manifest[] {
  const k = readKustomization(dir);
  const out: Manifest[] = [];
  for (const r of stringList(k['resources'], `${dir} resources`)) {
    const p = path.resolve(dir, r);
    if (!existsSync(p)) throw new Error(`${dir}: resource ${r} does not exist`);
    if (statSync(p).isDirectory()) out.push(...render(p));
    else out.push(...loadYamlDocs(p).map((d, i) => asManifest(d, `${p}#${i}`)));
  }
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(idOf(m))) throw new Error(`${dir}: ${idOf(m)} defined twice`);
    seen.add(idOf(m));
  }

  const patches = k['patches'] ?? [];
  if (!Array.isArray(patches)) throw new Error(`${dir}: patches must be a list`);
  for (const p of patches) {
    if (!isRecord(p) || typeof p['path'] !== 'string' || Object.keys(p).length !== 1) {
      throw new Error(`${dir}: only patches of the form {path: <file>} are rendered here`);
    }
    const file = path.resolve(dir, p['path']);
    for (const [i, doc] of loadYamlDocs(file).entries()) {
      const patch = asManifest(doc, `${file}#${i}`);
      const targets = out.filter((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (targets.length !== 1) throw new Error(`${file}: patch target ${idOf(patch)} matches ${targets.length} resources`);
      const idx = out.indexOf(targets[0]!);
      const directive = patch['$patch'];
      if (directive === undefined) out[idx] = asManifest(strategicMerge(targets[0]!, patch, []), idOf(patch));
      else if (directive === 'delete') out.splice(idx, 1);
      else throw new Error(`${file}: $patch: ${String(directive)} is not rendered here (only a top-level $patch: delete)`);
    }
  }

  const images = k['images'] ?? [];
  if (!Array.isArray(images)) throw new Error(`${dir}: images must be a list`);
  for (const img of images) {
    if (!isRecord(img) || typeof img['name'] !== 'string') throw new Error(`${dir}: images[] needs a name`);
    for (const key of Object.keys(img)) {
      if (!['name', 'newName', 'newTag', 'digest'].includes(key)) throw new Error(`${dir}: images[].${key} is not rendered here`);
    }
    for (const m of out) setImages(m, img as { name: string; newName?: string; newTag?: string; digest?: string });
  }
  return out;
}

/** Patch merge keys of the lists these manifests patch (k8s.io/api struct tags), by the list's field path. */
function mergeKeyOf(pathKeys: string[]): string | undefined {
  const last = pathKeys.at(-1);
  const parent = pathKeys.at(-2);
  if (last === 'containers' || last === 'initContainers' || last === 'ephemeralContainers') return 'name';
  if (last === 'volumes' || last === 'imagePullSecrets') return 'name';
  if (last === 'env' && parent === '[]') return 'name';
  if (last === 'volumeMounts') return 'mountPath';
  if (last === 'ports') return pathKeys.includes('containers') || pathKeys.includes('initContainers') ? 'containerPort' : 'port';
  return undefined;
}

export function strategicMerge(base: unknown, patch: unknown, pathKeys: string[]): unknown {
  if (isRecord(patch)) {
    for (const key of Object.keys(patch)) {
      if (key.startsWith('$')) throw new Error(`strategic-merge directive ${key} is not rendered here`);
    }
    if (!isRecord(base)) return structuredClone(patch);
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = strategicMerge(base[key], value, [...pathKeys, key]);
    }
    return out;
  }
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(pathKeys);
    if (key === undefined || !Array.isArray(base)) return structuredClone(patch);
    const out = [...base];
    for (const item of patch) {
      if (!isRecord(item) || item[key] === undefined) throw new Error(`${pathKeys.join('.')}: patch item without merge key ${key}`);
      const at = out.findIndex((b) => isRecord(b) && b[key] === item[key]);
      if (at >= 0) out[at] = strategicMerge(out[at], item, [...pathKeys, '[]']);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return patch;
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash is a tag; before it, a registry port.
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) };
  return { name: rest, ...(digest ? { digest } : {}) };
}

function setImages(node: unknown, img: { name: string; newName?: string; newTag?: string; digest?: string }): void {
  if (Array.isArray(node)) {
    node.forEach((n) => setImages(n, img));
    return;
  }
  if (!isRecord(node)) return;
  for (const listKey of ['containers', 'initContainers']) {
    const list = node[listKey];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isRecord(c) || typeof c['image'] !== 'string') continue;
      const cur = splitImage(c['image']);
      if (cur.name !== img.name) continue;
      const name = img.newName ?? cur.name;
      if (img.digest) c['image'] = `${name}@${img.digest}`;
      else if (img.newTag) c['image'] = `${name}:${img.newTag}`;
      else c['image'] = `${name}${cur.tag ? `:${cur.tag}` : ''}${cur.digest ? `@${cur.digest}` : ''}`;
    }
  }
  for (const v of Object.values(node)) setImages(v, img);
}

/** What kustomize itself rendered for `name` (base, gpu, distributed), kept by scripts/render-k8s-golden.sh. */
export function kustomizeGolden(name: string): Manifest[] {
  const file = path.join(GOLDEN, `${name}.yaml`);
  return parseYamlDocs(readFileSync(file, 'utf8'), file).map((d, i) => asManifest(d, `${file}#${i}`));
}

/** Order-insensitive form of merge-keyed lists (kustomize puts patch-only items first, the API server last). */
export function canonical(node: unknown, pathKeys: string[] = []): unknown {
  if (Array.isArray(node)) {
    const items = node.map((n) => canonical(n, [...pathKeys, '[]']));
    const key = mergeKeyOf(pathKeys);
    if (key !== undefined) items.sort((a, b) => String(isRecord(a) ? a[key] : '').localeCompare(String(isRecord(b) ? b[key] : '')));
    return items;
  }
  if (isRecord(node)) {
    return Object.fromEntries(Object.keys(node).sort().map((k) => [k, canonical(node[k], [...pathKeys, k])]));
  }
  return node;
}
