/**
 * What replicas share through PostgreSQL blobs: model versions (with their labels), uploaded datasets and each
 * job's latest checkpoint. A model version is one blob holding the version's folder (util/pack-files), so publishing it is one
 * transaction; its number comes from the blob store, so two replicas publishing at once get different versions.
 */
import { parseJsonText, parseShape } from '../util/json-shape.js';
import { packFiles, unpackFiles } from '../util/pack-files.js';
import type { CheckpointShare } from './checkpoint-share.js';
import type { DatasetRemote } from './dataset-store.js';
import { MODEL_LABELS, type ModelRemote } from './model-store.js';
import type { PgBlobStore } from './pg-blob-store.js';

export function pgModelRemote(blobs: PgBlobStore): ModelRemote {
  const versionsOf = async (name: string): Promise<number[]> =>
    (await blobs.list('model', name)).filter((b) => b.key === name).map((b) => b.version);
  return {
    async names() {
      return [...new Set((await blobs.list('model')).map((b) => b.key))].sort();
    },
    versions: versionsOf,
    async publish(name, files, jobId) {
      const info = await blobs.put('model', name, packFiles(files), { publisher: jobId });
      return { version: info.version, reused: info.reused === true };
    },
    async fetch(name, version) {
      const blob = await blobs.get('model', name, version);
      if (!blob) throw new Error(`model ${name} version ${version} is not in the database`);
      return unpackFiles(blob.bytes);
    },
    async labels(name) {
      const blob = await blobs.get('labels', name);
      if (!blob) return {};
      const what = `corrupt labels of model ${name} in the database`;
      return parseShape(MODEL_LABELS, parseJsonText(blob.bytes.toString('utf8'), what), what);
    },
    async setLabels(name, labels) {
      // Each change is a new version of the label map; the newest is the one in force.
      await blobs.put('labels', name, Buffer.from(JSON.stringify(labels)));
    },
    async deleteVersion(name, version) {
      await blobs.delete('model', name, version);
    },
    async deleteModel(name) {
      await blobs.delete('labels', name);
      await blobs.delete('model', name);
    },
  };
}

export function pgCheckpointShare(blobs: PgBlobStore): CheckpointShare {
  return {
    async put(jobId, bytes) {
      const { version } = await blobs.put('checkpoint', jobId, bytes);
      // Only the newest checkpoint is ever read.
      for (const old of await blobs.list('checkpoint', jobId)) {
        if (old.key === jobId && old.version < version) await blobs.delete('checkpoint', jobId, old.version);
      }
    },
    async get(jobId) {
      return (await blobs.get('checkpoint', jobId))?.bytes;
    },
    async delete(jobId) {
      await blobs.delete('checkpoint', jobId);
    },
  };
}

export function pgDatasetRemote(blobs: PgBlobStore): DatasetRemote {
  return {
    async put(datasetId, files) {
      await blobs.put('dataset', datasetId, packFiles(files));
    },
    async get(datasetId) {
      const blob = await blobs.get('dataset', datasetId);
      return blob ? unpackFiles(blob.bytes) : undefined;
    },
    async totalBytes() {
      return (await blobs.list('dataset')).reduce((n, b) => n + b.size, 0);
    },
    async ids() {
      return [...new Set((await blobs.list('dataset')).map((b) => b.key))].sort();
    },
    async has(datasetId) {
      return (await blobs.latestVersion('dataset', datasetId)) > 0;
    },
    async delete(datasetId) {
      await blobs.delete('dataset', datasetId);
    },
  };
}
