// Thin SVD of small dense matrices by one-sided (Hestenes) Jacobi. Jacobi works on the
// matrix itself rather than on a a^T, so small singular values keep full relative accuracy,
// which the trace-norm gradient U V^T depends on.
import { InvalidArgumentError } from '../errors/errors.js';

export interface Svd {
  /** rows x k row-major, orthonormal columns (k = min(rows, cols)). */
  U: Float64Array;
  /** k singular values, descending. */
  S: Float64Array;
  /** cols x k row-major, orthonormal columns. */
  V: Float64Array;
}

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 60;

/**
 * Orthogonalises the n rows (length len, n <= len) of x in place by plane rotations applied
 * on the left, mirrored into q (n x n, starting at I). Afterwards x_in = q^T x_out.
 */
function orthogonaliseRows(x: Float64Array, n: number, len: number, q: Float64Array): void {
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        let a = 0;
        let b = 0;
        let g = 0;
        for (let k = 0; k < len; k++) {
          const xp = x[p * len + k]!;
          const xr = x[r * len + k]!;
          a += xp * xp;
          b += xr * xr;
          g += xp * xr;
        }
        if (g === 0 || Math.abs(g) <= EPS * Math.sqrt(a * b)) continue;
        rotated = true;
        const zeta = (b - a) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(x, p * len, r * len, len, c, s);
        rotate(q, p * n, r * n, n, c, s);
      }
    }
    if (!rotated) return;
  }
}

function rotate(m: Float64Array, p: number, r: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const mp = m[p + k]!;
    const mr = m[r + k]!;
    m[p + k] = c * mp - s * mr;
    m[r + k] = s * mp + c * mr;
  }
}

/**
 * Replaces the columns of v (len x k row-major) flagged in `missing` by unit vectors orthogonal
 * to all the others: singular vectors of zero singular values are otherwise undefined.
 */
function completeColumns(v: Float64Array, len: number, k: number, missing: boolean[]): void {
  const w = new Float64Array(len);
  for (let j = 0; j < k; j++) {
    if (!missing[j]) continue;
    let best = -1;
    for (let e = 0; e < len && best < 0.5; e++) {
      w.fill(0);
      w[e] = 1;
      // Twice-repeated Gram-Schmidt: one pass leaves O(eps * cond) of the other directions.
      for (let pass = 0; pass < 2; pass++) {
        for (let o = 0; o < k; o++) {
          if (missing[o]) continue; // includes j itself and columns still to be completed
          let dot = 0;
          for (let i = 0; i < len; i++) dot += v[i * k + o]! * w[i]!;
          for (let i = 0; i < len; i++) w[i] = w[i]! - dot * v[i * k + o]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < len; i++) norm += w[i]! * w[i]!;
      norm = Math.sqrt(norm);
      // Some basis vector keeps at least 1/sqrt(len) of its length; 0.5 is reached in practice.
      if (norm > best) {
        best = norm;
        for (let i = 0; i < len; i++) v[i * k + j] = w[i]! / norm;
      }
    }
    missing[j] = false;
  }
}

/** Thin SVD a = U diag(S) V^T of a rows x cols row-major matrix. */
export function svd(a: ArrayLike<number>, rows: number, cols: number): Svd {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || a.length !== rows * cols) {
    throw InvalidArgumentError.field('a', `expected a ${rows} x ${cols} matrix, got ${a.length} values`);
  }
  const wide = rows <= cols;
  const n = wide ? rows : cols; // number of vectors orthogonalised
  const len = wide ? cols : rows;
  const x = new Float64Array(n * len);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      x[wide ? i * cols + j : j * rows + i] = a[i * cols + j]!;
    }
  }
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  orthogonaliseRows(x, n, len, q);

  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < len; k++) s += x[i * len + k]! * x[i * len + k]!;
    norms[i] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => norms[j]! - norms[i]!);
  const smax = norms[order[0]!]!;
  // x_in = q^T x_out: row i of x_out is S_i times a right singular vector (of the possibly
  // transposed input), and row i of q the matching left singular vector.
  const S = new Float64Array(n);
  const small = new Float64Array(n * n); // n x n, from q
  const large = new Float64Array(len * n); // len x n, from x
  const missing: boolean[] = [];
  order.forEach((src, dst) => {
    const sv = norms[src]!;
    S[dst] = sv;
    for (let i = 0; i < n; i++) small[i * n + dst] = q[src * n + i]!;
    const degenerate = sv === 0 || sv <= EPS * smax * len;
    missing.push(degenerate);
    if (!degenerate) for (let i = 0; i < len; i++) large[i * n + dst] = x[src * len + i]! / sv;
  });
  completeColumns(large, len, n, missing);
  return wide ? { U: small, S, V: large } : { U: large, S, V: small };
}

/** Sum of singular values. */
export function nuclearNorm(a: ArrayLike<number>, rows: number, cols: number): number {
  const { S } = svd(a, rows, cols);
  let total = 0;
  for (const s of S) total += s;
  return total;
}
