/**
 * Tensor values to and from host memory with as few copies as the backend allows. On wasm, dataSync() copies a
 * tensor out of the module's heap into a fresh array and tf.tensor(array) copies it back in; reading and writing
 * the heap directly saves both where values only pass through (the data-parallel exchange buffer and the
 * optimizer's update of every weight: ~12 MB each way a step at the paper configuration).
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackend {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

function wasm(): WasmBackend | null {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackend) : null;
}

/** Copies the float32 tensor `t` into `out` at `offset`. */
export function readInto(t: tf.Tensor, out: Float32Array, offset: number): void {
  if (t.dtype !== 'float32') throw new Error(`readInto: ${t.dtype} tensor`);
  const b = wasm();
  // A heap view is only valid until the heap grows, so it is used at once and never kept.
  out.set(b ? (b.typedArrayFromHeap(t) as Float32Array) : (t.dataSync() as Float32Array), offset);
}

/**
 * Replaces the values of the float32 variable `v` with `next(current, out)`, which must fill `out` (same size)
 * and may read `current` but not change it.
 *
 * The new values always go into new memory, never over the old: the wasm backend caches, per weight tensor, an
 * XNNPACK operator holding its own packed copy of the weights, dropped only when that tensor is freed, so a weight
 * changed in place would keep being multiplied with its old values.
 */
export function replaceValues(v: tf.Variable, next: (current: Float32Array, out: Float32Array) => void): void {
  if (v.dtype !== 'float32') throw new Error(`replaceValues: ${v.dtype} variable`);
  const b = wasm();
  if (!b) {
    const out = new Float32Array(v.size);
    next(v.dataSync() as Float32Array, out);
    tf.tidy(() => v.assign(tf.tensor(out, v.shape)));
    return;
  }
  const fresh = tf.engine().makeTensorFromTensorInfo(b.makeOutput(v.shape, 'float32'));
  // Both views are taken after the allocation, which may have grown the heap.
  next(b.typedArrayFromHeap(v) as Float32Array, b.typedArrayFromHeap(fresh) as Float32Array);
  v.assign(fresh);
  fresh.dispose();
}

/**
 * The transpose of a row-major rows x cols matrix, into `out` at `offset` (a new array by default), in blocks so
 * that both sides stay in cache.
 */
export function transposeRows(a: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols), offset = 0): Float32Array {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(r0 + B, rows);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(c0 + B, cols);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[offset + c * rows + r] = a[base + c]!;
      }
    }
  }
  return out;
}
