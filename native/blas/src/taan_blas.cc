// taan_blas: float32 matrix products through OpenBLAS's cblas_sgemm, plus the element-wise loops of the
// hand-written training step and of Predict (TAAN piecewise-linear activation, ReLU, binary cross-entropy, Adam),
// all in place on typed arrays the caller owns. Loaded by src/model/blas.ts in every worker thread that computes;
// OpenBLAS runs one thread per calling thread (set at load): parallelism comes from our own worker threads.
#include <limits>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <napi.h>
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

// Compiled for AVX-512 (x86-64-v4), AVX2 and the baseline; the loader picks by CPU (GCC function multi-versioning),
// so the addon stays portable across x86-64 machines. -ffp-contract=off (binding.gyp) keeps the FMA of the v4 clone
// out of the arithmetic: every clone gives the same float32 results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TAAN_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define TAAN_CLONES
#endif

// ---- argument helpers: every array is checked for type and size before any write ---------------------------------

bool Fail(const Napi::Env& env, const std::string& msg) {
  Napi::TypeError::New(env, "taan_blas: " + msg).ThrowAsJavaScriptException();
  return false;
}

template <typename T, napi_typedarray_type Kind>
bool GetArray(const Napi::CallbackInfo& info, size_t i, const char* name, T** data, size_t* len) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsTypedArray()) return Fail(env, std::string(name) + " must be a typed array");
  // napi_get_typedarray_info's data pointer (already past the byte offset) also serves arrays on a
  // SharedArrayBuffer (the data-parallel exchange slots), which napi_get_arraybuffer_info refuses.
  napi_typedarray_type type;
  size_t length = 0;
  void* ptr = nullptr;
  if (napi_get_typedarray_info(env, info[i], &type, &length, &ptr, nullptr, nullptr) != napi_ok) {
    return Fail(env, std::string(name) + ": cannot read the typed array");
  }
  if (type != Kind) return Fail(env, std::string(name) + " has the wrong element type");
  if (ptr == nullptr && length > 0) return Fail(env, std::string(name) + " has no data");
  *data = static_cast<T*>(ptr);
  *len = length;
  return true;
}

#define F32(i, name, ptr, len) \
  float* ptr = nullptr;        \
  size_t len = 0;              \
  if (!GetArray<float, napi_float32_array>(info, i, name, &ptr, &len)) return env.Undefined();
#define F64(i, name, ptr, len) \
  double* ptr = nullptr;       \
  size_t len = 0;              \
  if (!GetArray<double, napi_float64_array>(info, i, name, &ptr, &len)) return env.Undefined();
#define I32(i, name, ptr, len) \
  int32_t* ptr = nullptr;      \
  size_t len = 0;              \
  if (!GetArray<int32_t, napi_int32_array>(info, i, name, &ptr, &len)) return env.Undefined();
#define U16(i, name, ptr, len) \
  uint16_t* ptr = nullptr;     \
  size_t len = 0;              \
  if (!GetArray<uint16_t, napi_uint16_array>(info, i, name, &ptr, &len)) return env.Undefined();

bool Int(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t min, int64_t* out) {
  if (i >= info.Length() || !info[i].IsNumber()) return Fail(info.Env(), std::string(name) + " must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d >= static_cast<double>(min)) || d != std::floor(d) || d > 2147483647.0) {
    return Fail(info.Env(), std::string(name) + " must be an integer >= " + std::to_string(min));
  }
  *out = static_cast<int64_t>(d);
  return true;
}
#define INT(i, name, var, min) \
  int64_t var = 0;             \
  if (!Int(info, i, name, min, &var)) return env.Undefined();

double Num(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }

// Elements a row-major rows x cols matrix with leading dimension ld spans.
size_t Span(int64_t rows, int64_t cols, int64_t ld) {
  if (rows == 0 || cols == 0) return 0;
  return static_cast<size_t>((rows - 1) * ld + cols);
}

// Segments: Int32Array of (local task, row count) pairs, rows grouped by task in that order.
bool SegmentsCover(const Napi::Env& env, const int32_t* segs, size_t segLen, int64_t tasks, int64_t rows) {
  if (segLen % 2 != 0) return Fail(env, "segments must hold (task, count) pairs");
  int64_t total = 0;
  for (size_t s = 0; s < segLen; s += 2) {
    if (segs[s] < 0 || segs[s] >= tasks || segs[s + 1] < 0) return Fail(env, "segment out of range");
    total += segs[s + 1];
  }
  if (total != rows) return Fail(env, "segments do not cover the rows");
  return true;
}

// ---- sgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc): C = alpha op(A) op(B) + beta C, row-major
// Products of at most this many rows go through sgemv (measured: faster up to 3 rows at 512 x 3557).
constexpr int64_t kGemvRows = 2;

Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 13) return Fail(env, "sgemm takes 13 arguments"), env.Undefined();
  const bool ta = info[0].ToBoolean().Value();
  const bool tb = info[1].ToBoolean().Value();
  INT(2, "m", m, 0);
  INT(3, "n", n, 0);
  INT(4, "k", k, 0);
  const double alpha = Num(info, 5);
  F32(6, "A", a, aLen);
  INT(7, "lda", lda, 1);
  F32(8, "B", b, bLen);
  INT(9, "ldb", ldb, 1);
  const double beta = Num(info, 10);
  F32(11, "C", c, cLen);
  INT(12, "ldc", ldc, 1);
  const int64_t aRows = ta ? k : m, aCols = ta ? m : k;
  const int64_t bRows = tb ? n : k, bCols = tb ? k : n;
  if (lda < aCols || ldb < bCols || ldc < n) return Fail(env, "leading dimension smaller than the row"), env.Undefined();
  if (Span(aRows, aCols, lda) > aLen) return Fail(env, "A is too small"), env.Undefined();
  if (Span(bRows, bCols, ldb) > bLen) return Fail(env, "B is too small"), env.Undefined();
  if (Span(m, n, ldc) > cLen) return Fail(env, "C is too small"), env.Undefined();
  if (m == 0 || n == 0) return env.Undefined();
  if (m <= kGemvRows && k > 0) {
    // Row by row as matrix-vector products: OpenBLAS 0.3.21's sgemm packs all of B even for one row, which costs
    // ~5x a gemv for Predict's batch-1 head (1 x 512 x 3557) on this machine.
    for (int64_t r = 0; r < m; r++) {
      const float* x = ta ? a + r : a + r * lda;
      const int incx = static_cast<int>(ta ? lda : 1);
      cblas_sgemv(CblasRowMajor, tb ? CblasNoTrans : CblasTrans, static_cast<int>(bRows), static_cast<int>(bCols),
                  static_cast<float>(alpha), b, static_cast<int>(ldb), x, incx, static_cast<float>(beta), c + r * ldc, 1);
    }
    return env.Undefined();
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
              static_cast<int>(n), static_cast<int>(k), static_cast<float>(alpha), a, static_cast<int>(lda), b,
              static_cast<int>(ldb), static_cast<float>(beta), c, static_cast<int>(ldc));
  return env.Undefined();
}

// ---- fillRows(out, rows, v): every row of out (rows x v.length) = v (the bias, before a beta = 1 product) -----------
Napi::Value FillRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "out", out, outLen);
  INT(1, "rows", rows, 0);
  F32(2, "v", v, cols);
  if (static_cast<size_t>(rows) * cols > outLen) return Fail(env, "out is too small"), env.Undefined();
  for (int64_t r = 0; r < rows; r++) {
    float* o = out + r * cols;
    for (size_t c = 0; c < cols; c++) o[c] = v[c];
  }
  return env.Undefined();
}

// ---- colSums(a, rows, cols, out): out[c] = sum over rows of a[r, c] -------------------------------------------
Napi::Value ColSums(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "a", a, aLen);
  INT(1, "rows", rows, 0);
  INT(2, "cols", cols, 0);
  F32(3, "out", out, outLen);
  if (static_cast<size_t>(rows * cols) > aLen || static_cast<size_t>(cols) > outLen) return Fail(env, "array too small"), env.Undefined();
  for (int64_t c = 0; c < cols; c++) out[c] = 0.0f;
  for (int64_t r = 0; r < rows; r++) {
    const float* row = a + r * cols;
    for (int64_t c = 0; c < cols; c++) out[c] += row[c];
  }
  return env.Undefined();
}

// ---- relu(z, y): y = max(z, 0) (y may be z) ------------------------------------------------------------------
Napi::Value Relu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "z", z, n);
  F32(1, "y", y, yLen);
  if (yLen < n) return Fail(env, "y is too small"), env.Undefined();
  for (size_t i = 0; i < n; i++) y[i] = z[i] > 0.0f ? z[i] : 0.0f;
  return env.Undefined();
}

// ---- reluBackward(dy, y, dz): dz = dy * step(y) (y the ReLU output; dz may be dy) --------------------------------
Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "dy", dy, n);
  F32(1, "y", y, yLen);
  F32(2, "dz", dz, dzLen);
  if (yLen < n || dzLen < n) return Fail(env, "array too small"), env.Undefined();
  for (size_t i = 0; i < n; i++) {
    const float d = dy[i];
    dz[i] = y[i] > 0.0f ? d : 0.0f;
  }
  return env.Undefined();
}


// ---- taanForward(z, y, bins, H, sorted, S, P, segments, moments) --------------------------------------------
// Per element of a row of local task t: j = #{sorted[i] <= z}, y = relu(z) + P[t, j] - S[t, j] z (tables of
// piecewise-tables.ts, stride M + 1). bins (Uint16Array, or null for inference) keeps j for backward; y may be z.
// moments (Float64Array of 2, or null) receives the sum of z and of z^2.
// The activation of a block of one task's elements: y = relu(v) + P[c] - S[c] v, c = the number of hinges at or
// below v; `bins` (training: the backward pass needs c) and `moments` (sum and sum of squares of v) may be null. The
// scalar form counts the hinges one by one. With AVX-512 and M <= 64 the hinges and the task's two tables sit in
// registers: the count is a branch-free binary search (7 steps of a permute and a compare for 16 elements, against
// 64 dependent compares) and the lookups are permutes (gathers cost ~4x the rest on these cores). Both forms give
// the same y and bins: the count is the same integer (hinges ascending, padded with NaN, which no comparison
// passes), max(v, 0) equals v > 0 ? v : 0 for zeros and NaN, and the arithmetic is the same product then
// difference (no FMA); the moments are float64 sums in another order. z and y may be one array.
void ActivateScalar(const float* z, size_t n, const float* sorted, int64_t M, const float* St, const float* Pt, float* y,
                    uint16_t* bins, double* moments) {
  double s1 = 0.0, s2 = 0.0;
  for (size_t e = 0; e < n; e++) {
    const float v = z[e];
    int32_t c = 0;
    for (int64_t i = 0; i < M; i++) c += sorted[i] <= v ? 1 : 0;
    if (bins) bins[e] = static_cast<uint16_t>(c);
    s1 += v;
    s2 += static_cast<double>(v) * v;
    y[e] = ((v > 0.0f ? v : 0.0f) + Pt[c]) - St[c] * v;
  }
  if (moments) {
    moments[0] += s1;
    moments[1] += s2;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define TAAN_AVX512 __attribute__((target("avx512f")))

// Up to 65 floats (indices 0..64) in registers; entries past `len` are `fill`.
struct Table65 {
  __m512 r[4];
  __m512 last;
  TAAN_AVX512 Table65(const float* a, int64_t len, float fill) {
    alignas(64) float pad[64];
    for (int64_t i = 0; i < 64; i++) pad[i] = i < len ? a[i] : fill;
    for (int k = 0; k < 4; k++) r[k] = _mm512_load_ps(pad + 16 * k);
    last = _mm512_set1_ps(len > 64 ? a[64] : fill);
  }
  TAAN_AVX512 __m512 at(__m512i i) const {
    const __m512 lo = _mm512_permutex2var_ps(r[0], i, r[1]);
    const __m512 hi = _mm512_permutex2var_ps(r[2], i, r[3]);
    const __m512 v = _mm512_mask_blend_ps(_mm512_test_epi32_mask(i, _mm512_set1_epi32(32)), lo, hi);
    return _mm512_mask_blend_ps(_mm512_cmpeq_epi32_mask(i, _mm512_set1_epi32(64)), v, last);
  }
};

// The 64 hinge slots (NaN past M) arranged by the step of the binary search that reads them: at the step of size s
// the count c is a multiple of 2s and the hinge read is c + s - 1, so each step's candidates fit one register (up to
// 16) or two (32), indexed by c / 2s: one permute a step instead of a lookup over all 64.
struct HingeLevels {
  __m512 h31, h63, l16, l8, l4, l2, l1lo, l1hi;
  TAAN_AVX512 HingeLevels(const float* sorted, int64_t M) {
    alignas(64) float h[64];
    for (int64_t i = 0; i < 64; i++) h[i] = i < M ? sorted[i] : std::numeric_limits<float>::quiet_NaN();
    alignas(64) float l[6][32];
    for (int j = 0; j < 32; j++) {
      l[0][j] = j < 2 ? h[32 * j + 15] : 0.0f;
      l[1][j] = j < 4 ? h[16 * j + 7] : 0.0f;
      l[2][j] = j < 8 ? h[8 * j + 3] : 0.0f;
      l[3][j] = j < 16 ? h[4 * j + 1] : 0.0f;
      l[4][j] = h[2 * j];
    }
    h31 = _mm512_set1_ps(h[31]);
    h63 = _mm512_set1_ps(h[63]);
    l16 = _mm512_load_ps(l[0]);
    l8 = _mm512_load_ps(l[1]);
    l4 = _mm512_load_ps(l[2]);
    l2 = _mm512_load_ps(l[3]);
    l1lo = _mm512_load_ps(l[4]);
    l1hi = _mm512_load_ps(l[4] + 16);
  }
  // How many hinges are at or below each element of v (0..64).
  TAAN_AVX512 __m512i Count(__m512 v) const {
    __m512i c = _mm512_maskz_mov_epi32(_mm512_cmp_ps_mask(h31, v, _CMP_LE_OQ), _mm512_set1_epi32(32));
    c = Step(c, v, _mm512_permutexvar_ps(_mm512_srli_epi32(c, 5), l16), 16);
    c = Step(c, v, _mm512_permutexvar_ps(_mm512_srli_epi32(c, 4), l8), 8);
    c = Step(c, v, _mm512_permutexvar_ps(_mm512_srli_epi32(c, 3), l4), 4);
    c = Step(c, v, _mm512_permutexvar_ps(_mm512_srli_epi32(c, 2), l2), 2);
    c = Step(c, v, _mm512_permutex2var_ps(l1lo, _mm512_srli_epi32(c, 1), l1hi), 1);
    // 63 counted tells 63 from 64: the last hinge (the others are at or below v whenever it is).
    return Step(c, v, h63, 1);
  }
  // c + s where the hinge read is at or below v.
  static TAAN_AVX512 __m512i Step(__m512i c, __m512 v, __m512 hinge, int s) {
    return _mm512_mask_add_epi32(c, _mm512_cmp_ps_mask(hinge, v, _CMP_LE_OQ), c, _mm512_set1_epi32(s));
  }
};

TAAN_AVX512 void Activate16(const float* z, size_t n, const float* sorted, int64_t M, const float* St, const float* Pt,
                            float* y, uint16_t* bins, double* moments) {
  const HingeLevels hinges(sorted, M);
  const Table65 S(St, M + 1, 0.0f), P(Pt, M + 1, 0.0f);
  const __m512 zero = _mm512_setzero_ps();
  __m512d s1 = _mm512_setzero_pd(), s2 = _mm512_setzero_pd();
  size_t e = 0;
  for (; e + 16 <= n; e += 16) {
    const __m512 v = _mm512_loadu_ps(z + e);
    const __m512i c = hinges.Count(v);
    if (bins) _mm256_storeu_si256(reinterpret_cast<__m256i*>(bins + e), _mm512_cvtepi32_epi16(c));
    if (moments) {
      const __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(v));
      const __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
      s1 = _mm512_add_pd(s1, _mm512_add_pd(lo, hi));
      s2 = _mm512_add_pd(s2, _mm512_add_pd(_mm512_mul_pd(lo, lo), _mm512_mul_pd(hi, hi)));
    }
    const __m512 sv = _mm512_mul_ps(S.at(c), v);
    _mm512_storeu_ps(y + e, _mm512_sub_ps(_mm512_add_ps(_mm512_max_ps(v, zero), P.at(c)), sv));
  }
  if (moments) {
    moments[0] += _mm512_reduce_add_pd(s1);
    moments[1] += _mm512_reduce_add_pd(s2);
  }
  ActivateScalar(z + e, n - e, sorted, M, St, Pt, y + e, bins ? bins + e : nullptr, moments);
}
const bool kHasAvx512 = __builtin_cpu_supports("avx512f");
#endif

void ActivateBlock(const float* z, size_t n, const float* sorted, int64_t M, const float* St, const float* Pt, float* y,
                   uint16_t* bins, double* moments) {
#if defined(__x86_64__) && defined(__GNUC__)
  bool ordered = M <= 64;
  for (int64_t i = 0; ordered && i < M; i++) ordered = !std::isnan(sorted[i]);
  if (kHasAvx512 && ordered) return Activate16(z, n, sorted, M, St, Pt, y, bins, moments);
#endif
  ActivateScalar(z, n, sorted, M, St, Pt, y, bins, moments);
}

// ---- packB(B, k, n, ldb, out) and sgemmPacked(m, n, k, A, lda, Bp, C, ldc): C += A B for small m ------------------
// OpenBLAS packs B on every call, which for Predict's few rows (m ~ 24 against a 512 x 3557 set of heads) costs as
// much as the arithmetic: ~55-65 GFLOP/s there against ~95 for the large stacked products. Weights that do not change
// (a served model) are packed once instead, in strips of 16 columns (out[(s k + kk) 16 + j] = B[kk ldb + 16 s + j], 0
// past column n), and the AVX-512 kernel keeps a block of rows x strips of C in registers while it streams a strip
// pair of B once per row block (~110-115 GFLOP/s on one of these cores at every Predict shape). Only with AVX-512:
// info().packedGemm tells the caller, who otherwise multiplies through OpenBLAS.
constexpr int64_t kStrip = 16;

int64_t PackedLength(int64_t k, int64_t n) { return ((n + kStrip - 1) / kStrip) * kStrip * k; }

Napi::Value PackB(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) return Fail(env, "packB takes 5 arguments"), env.Undefined();
  F32(0, "B", b, bLen);
  INT(1, "k", k, 1);
  INT(2, "n", n, 1);
  INT(3, "ldb", ldb, 1);
  F32(4, "out", out, outLen);
  if (ldb < n || Span(k, n, ldb) > bLen) return Fail(env, "B is too small"), env.Undefined();
  if (static_cast<int64_t>(outLen) != PackedLength(k, n)) return Fail(env, "out must hold ceil(n / 16) x 16 x k floats"), env.Undefined();
  const int64_t strips = (n + kStrip - 1) / kStrip;
  for (int64_t s = 0; s < strips; s++) {
    for (int64_t kk = 0; kk < k; kk++) {
      float* o = out + (s * k + kk) * kStrip;
      for (int64_t j = 0; j < kStrip; j++) {
        const int64_t col = s * kStrip + j;
        o[j] = col < n ? b[kk * ldb + col] : 0.0f;
      }
    }
  }
  return env.Undefined();
}

#if defined(__x86_64__) && defined(__GNUC__)
template <int R, int NS>
TAAN_AVX512 void PackedTile(const float* a, int64_t lda, const float* bp, int64_t k, float* c, int64_t ldc, const __mmask16* masks) {
  __m512 acc[R][NS];
#pragma GCC unroll 32
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int s = 0; s < NS; s++) acc[r][s] = _mm512_maskz_loadu_ps(masks[s], c + r * ldc + s * kStrip);
  for (int64_t kk = 0; kk < k; kk++) {
    __m512 b[NS];
#pragma GCC unroll 8
    for (int s = 0; s < NS; s++) b[s] = _mm512_loadu_ps(bp + (s * k + kk) * kStrip);
#pragma GCC unroll 32
    for (int r = 0; r < R; r++) {
      const __m512 x = _mm512_set1_ps(a[r * lda + kk]);
#pragma GCC unroll 8
      for (int s = 0; s < NS; s++) acc[r][s] = _mm512_fmadd_ps(x, b[s], acc[r][s]);
    }
  }
#pragma GCC unroll 32
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int s = 0; s < NS; s++) _mm512_mask_storeu_ps(c + r * ldc + s * kStrip, masks[s], acc[r][s]);
}

template <int NS>
TAAN_AVX512 void PackedRows(int64_t rows, const float* a, int64_t lda, const float* bp, int64_t k, float* c, int64_t ldc, const __mmask16* masks) {
  switch (rows) {
#define TAAN_TILE(R) case R: return PackedTile<R, NS>(a, lda, bp, k, c, ldc, masks);
    TAAN_TILE(1) TAAN_TILE(2) TAAN_TILE(3) TAAN_TILE(4) TAAN_TILE(5) TAAN_TILE(6)
    TAAN_TILE(7) TAAN_TILE(8) TAAN_TILE(9) TAAN_TILE(10) TAAN_TILE(11) TAAN_TILE(12)
#undef TAAN_TILE
  }
}

constexpr int64_t kTileRows = 12;

TAAN_AVX512 void PackedAvx512(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* bp, float* c, int64_t ldc) {
  const int64_t strips = (n + kStrip - 1) / kStrip;
  for (int64_t s = 0; s < strips; s += 2) {
    const int ns = s + 1 < strips ? 2 : 1;
    __mmask16 masks[2];
    for (int j = 0; j < ns; j++) {
      const int64_t left = n - (s + j) * kStrip;
      masks[j] = left >= kStrip ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
    }
    const float* strip = bp + s * k * kStrip;
    for (int64_t r = 0; r < m; r += kTileRows) {
      const int64_t rows = m - r < kTileRows ? m - r : kTileRows;
      if (ns == 2) PackedRows<2>(rows, a + r * lda, lda, strip, k, c + r * ldc + s * kStrip, ldc, masks);
      else PackedRows<1>(rows, a + r * lda, lda, strip, k, c + r * ldc + s * kStrip, ldc, masks);
    }
  }
}
#endif

Napi::Value SgemmPacked(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 8) return Fail(env, "sgemmPacked takes 8 arguments"), env.Undefined();
  INT(0, "m", m, 0);
  INT(1, "n", n, 1);
  INT(2, "k", k, 1);
  F32(3, "A", a, aLen);
  INT(4, "lda", lda, 1);
  F32(5, "Bp", bp, bpLen);
  F32(6, "C", c, cLen);
  INT(7, "ldc", ldc, 1);
  if (lda < k || ldc < n) return Fail(env, "leading dimension smaller than the row"), env.Undefined();
  if (Span(m, k, lda) > aLen) return Fail(env, "A is too small"), env.Undefined();
  if (static_cast<int64_t>(bpLen) != PackedLength(k, n)) return Fail(env, "Bp is not a packed k x n matrix"), env.Undefined();
  if (Span(m, n, ldc) > cLen) return Fail(env, "C is too small"), env.Undefined();
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHasAvx512) return PackedAvx512(m, n, k, a, lda, bp, c, ldc), env.Undefined();
#endif
  return Fail(env, "sgemmPacked needs AVX-512 (info().packedGemm is false)"), env.Undefined();
}

Napi::Value TaanForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 9) return Fail(env, "taanForward takes 9 arguments"), env.Undefined();
  F32(0, "z", z, n);
  F32(1, "y", y, yLen);
  uint16_t* bins = nullptr;
  size_t binsLen = 0;
  if (!info[2].IsNull() && !GetArray<uint16_t, napi_uint16_array>(info, 2, "bins", &bins, &binsLen)) return env.Undefined();
  INT(3, "H", H, 1);
  F32(4, "sorted", sorted, M64);
  F32(5, "S", S, sLen);
  F32(6, "P", P, pLen);
  I32(7, "segments", segs, segLen);
  double* moments = nullptr;
  size_t momLen = 0;
  if (!info[8].IsNull() && !GetArray<double, napi_float64_array>(info, 8, "moments", &moments, &momLen)) return env.Undefined();
  const int64_t M = static_cast<int64_t>(M64);
  const int64_t stride = M + 1;
  if (M > 65534) return Fail(env, "too many hinges"), env.Undefined();
  if (sLen % stride != 0 || pLen != sLen) return Fail(env, "tables must be tasks x (M + 1)"), env.Undefined();
  if (n % H != 0) return Fail(env, "z is not rows x H"), env.Undefined();
  const int64_t rows = static_cast<int64_t>(n) / H;
  if (!SegmentsCover(env, segs, segLen, static_cast<int64_t>(sLen) / stride, rows)) return env.Undefined();
  if (yLen < n || (bins && binsLen < n) || (moments && momLen < 2)) return Fail(env, "array too small"), env.Undefined();
  size_t i = 0;
  for (size_t s = 0; s < segLen; s += 2) {
    const size_t end = i + static_cast<size_t>(segs[s + 1]) * H;
    ActivateBlock(z + i, end - i, sorted, M, S + segs[s] * stride, P + segs[s] * stride, y + i, bins ? bins + i : nullptr,
                  moments);
    i = end;
  }
  return env.Undefined();
}

// ---- taanBackward(dy, z, bins, H, S, stride, segments, dz, G0, G1) ------------------------------------------
// dz = dy (step(z) - S[t, j]) (dz may be dy); G0[t, j] += dy, G1[t, j] += dy z (float64 tasks x stride).
Napi::Value TaanBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 10) return Fail(env, "taanBackward takes 10 arguments"), env.Undefined();
  F32(0, "dy", dy, n);
  F32(1, "z", z, zLen);
  U16(2, "bins", bins, binsLen);
  INT(3, "H", H, 1);
  F32(4, "S", S, sLen);
  INT(5, "stride", stride, 1);
  I32(6, "segments", segs, segLen);
  F32(7, "dz", dz, dzLen);
  F64(8, "G0", g0, g0Len);
  F64(9, "G1", g1, g1Len);
  if (zLen < n || binsLen < n || dzLen < n || g0Len != sLen || g1Len != sLen) return Fail(env, "array size mismatch"), env.Undefined();
  if (sLen % stride != 0) return Fail(env, "S must be tasks x stride"), env.Undefined();
  if (n % H != 0) return Fail(env, "dy is not rows x H"), env.Undefined();
  if (!SegmentsCover(env, segs, segLen, static_cast<int64_t>(sLen) / stride, static_cast<int64_t>(n) / H)) return env.Undefined();
  size_t i = 0;
  for (size_t s = 0; s < segLen; s += 2) {
    const int64_t off = segs[s] * stride;
    const float* St = S + off;
    double* G0 = g0 + off;
    double* G1 = g1 + off;
    const size_t end = i + static_cast<size_t>(segs[s + 1]) * H;
    for (; i < end; i++) {
      const uint16_t j = bins[i];
      if (j >= stride) return Fail(env, "bin out of range"), env.Undefined();
      const float v = z[i];
      const float d = dy[i];
      G0[j] += d;
      G1[j] += static_cast<double>(d) * v;
      dz[i] = d * ((v > 0.0f ? 1.0f : 0.0f) - St[j]);
    }
  }
  return env.Undefined();
}

// ---- bce(logits, y, scale, dl): sum of the binary cross-entropy with logits; dl = (sigmoid - y) scale -----------
// (dl may be logits). The same stable form as the tfjs step: relu(l) - l y + log(1 + exp(-|l|)).
Napi::Value Bce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "logits", l, n);
  F32(1, "y", y, yLen);
  const double scale = Num(info, 2);
  F32(3, "dl", dl, dlLen);
  if (yLen < n || dlLen < n) return Fail(env, "array too small"), env.Undefined();
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    const float v = l[i];
    const float t = y[i];
    const float e = std::exp(-std::fabs(v));
    // log(1 + e) rather than log1p(e): e <= 1, and glibc's logf is several times faster than its log1pf.
    sum += static_cast<double>((v > 0.0f ? v : 0.0f) - v * t + std::log(1.0f + e));
    const float sig = v >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
    dl[i] = static_cast<float>((sig - t) * scale);
  }
  return Napi::Number::New(env, sum);
}

// ---- sigmoid(a): in place -----------------------------------------------------------------------------------
// The one float32 sigmoid of scores: all-class scores (sigmoid) and top-k's kept classes (topK) must agree bit for bit.
inline float SigmoidOf(float v) {
  const float e = std::exp(-std::fabs(v));
  return v >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

Napi::Value Sigmoid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "a", a, n);
  for (size_t i = 0; i < n; i++) a[i] = SigmoidOf(a[i]);
  return env.Undefined();
}

// ---- topK(scores, rows, C, k, threshold, sigmoid, indices, top, counts) ----------------------------------------
// Per row of the rows x C block: the min(k, C) best classes, best first, in the order of src/eval/ranking.ts
// (higher score first, equal scores to the lower index, NaN below every number). With `sigmoid` the scores are
// logits and the kept ones are turned into probabilities (sigmoid is increasing, so the order is that of the
// probabilities before float32 rounding: logits still tell apart scores that round to the same probability).
// counts[r] = how many of the row's kept classes reach `threshold` (NaN = no threshold), a prefix of the row.
inline bool Outranks(float sa, int32_t ia, float sb, int32_t ib) {
  const bool an = std::isnan(sa), bn = std::isnan(sb);
  if (an || bn) return an && bn ? ia < ib : bn;
  return sa > sb || (sa == sb && ia < ib);
}


// A heap of `m` class indices with the worst kept class at the root.
void SiftDown(int32_t* heap, int64_t start, int64_t size, const float* s) {
  int64_t i = start;
  for (;;) {
    const int64_t l = 2 * i + 1;
    if (l >= size) return;
    int64_t w = l;
    if (l + 1 < size && Outranks(s[heap[l]], heap[l], s[heap[l + 1]], heap[l + 1])) w = l + 1;
    if (!Outranks(s[heap[i]], heap[i], s[heap[w]], heap[w])) return;
    std::swap(heap[i], heap[w]);
    i = w;
  }
}

// A value no kept class of a row falls below: the m-th largest of the maxima of its blocks of 16 classes (m blocks
// hold at least m numbers at or above it, each of which outranks anything smaller, and NaN ranks below every
// number). Only the few classes at or above it are then sorted, whatever the order of the row (a heap over every
// class costs ~7x more on a row whose scores rise with the class index, an untrained model's for one, and its
// per-row set-up dominated Predict's 16 small top-10s). -inf when fewer than m blocks hold a number: the heap then.
constexpr int64_t kTopBlock = 16;

#if defined(__x86_64__) && defined(__GNUC__)
TAAN_AVX512 void BlockMaxima16(const float* row, int64_t blocks, float* out) {
  const __m512 none = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  for (int64_t b = 0; b < blocks; b++) {
    const __m512 v = _mm512_loadu_ps(row + b * kTopBlock);
    const __mmask16 numbers = _mm512_cmp_ps_mask(v, v, _CMP_ORD_Q);
    out[b] = numbers ? _mm512_reduce_max_ps(_mm512_mask_mov_ps(none, numbers, v)) : std::numeric_limits<float>::quiet_NaN();
  }
}
#endif

float TopFloor(const float* row, int64_t C, int64_t m, std::vector<float>& maxima) {
  const int64_t full = C / kTopBlock;
  const int64_t blocks = (C + kTopBlock - 1) / kTopBlock;
  maxima.resize(static_cast<size_t>(blocks));
  int64_t b = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHasAvx512) {
    BlockMaxima16(row, full, maxima.data());
    b = full;
  }
#endif
  for (; b < blocks; b++) {
    float mx = std::numeric_limits<float>::quiet_NaN();
    for (int64_t c = b * kTopBlock; c < C && c < (b + 1) * kTopBlock; c++) {
      const float v = row[c];
      if (!std::isnan(v) && (std::isnan(mx) || v > mx)) mx = v;
    }
    maxima[static_cast<size_t>(b)] = mx;
  }
  const auto end = std::remove_if(maxima.begin(), maxima.end(), [](float v) { return std::isnan(v); });
  const int64_t numbered = end - maxima.begin();
  if (numbered < m) return -std::numeric_limits<float>::infinity();
  const auto nth = maxima.begin() + (numbered - m);
  std::nth_element(maxima.begin(), nth, end);
  return *nth;
}

Napi::Value TopK(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 9) return Fail(env, "topK takes 9 arguments"), env.Undefined();
  F32(0, "scores", s, sLen);
  INT(1, "rows", rows, 0);
  INT(2, "C", C, 1);
  INT(3, "k", k, 1);
  if (!info[4].IsNumber()) return Fail(env, "threshold must be a number (NaN for none)"), env.Undefined();
  const double threshold = Num(info, 4);
  const bool sigmoid = info[5].ToBoolean().Value();
  I32(6, "indices", indices, iLen);
  F32(7, "top", top, tLen);
  I32(8, "counts", counts, cLen);
  const int64_t m = k < C ? k : C;
  if (static_cast<int64_t>(sLen) < rows * C) return Fail(env, "scores is smaller than rows x C"), env.Undefined();
  if (static_cast<int64_t>(iLen) < rows * m || static_cast<int64_t>(tLen) < rows * m || static_cast<int64_t>(cLen) < rows) {
    return Fail(env, "array too small"), env.Undefined();
  }
  const bool hasThreshold = !std::isnan(threshold);
  std::vector<float> maxima;
  std::vector<int32_t> candidates;
  for (int64_t r = 0; r < rows; r++) {
    const float* row = s + r * C;
    int32_t* best = indices + r * m;
    const float least = TopFloor(row, C, m, maxima);
    if (least != -std::numeric_limits<float>::infinity()) {
      // At least m classes reach `least` and nothing below it is kept: sort just those (a few dozen, typically).
      candidates.clear();
      for (int64_t c = 0; c < C; c++) {
        if (row[c] >= least) candidates.push_back(static_cast<int32_t>(c));
      }
      std::partial_sort(candidates.begin(), candidates.begin() + m, candidates.end(),
                        [row](int32_t a, int32_t b) { return Outranks(row[a], a, row[b], b); });
      std::copy(candidates.begin(), candidates.begin() + m, best);
    } else {
      // Few numbers in the row (short rows, NaN): a heap of m over every class.
      int32_t* heap = best;
      for (int64_t c = 0; c < m; c++) heap[c] = static_cast<int32_t>(c);
      for (int64_t i = m / 2 - 1; i >= 0; i--) SiftDown(heap, i, m, row);
      for (int64_t c = m; c < C; c++) {
        if (Outranks(row[c], static_cast<int32_t>(c), row[heap[0]], heap[0])) {
          heap[0] = static_cast<int32_t>(c);
          SiftDown(heap, 0, m, row);
        }
      }
      // Heap-sort in place: popping the worst to the tail leaves the row best-first.
      for (int64_t end = m - 1; end > 0; end--) {
        std::swap(heap[0], heap[end]);
        SiftDown(heap, 0, end, row);
      }
    }
    int32_t kept = 0;
    bool open = true;
    for (int64_t c = 0; c < m; c++) {
      const float v = sigmoid ? SigmoidOf(row[best[c]]) : row[best[c]];
      top[r * m + c] = v;
      if (open && hasThreshold && v < threshold) open = false;
      if (open) kept++;
    }
    counts[r] = kept;
  }
  return env.Undefined();
}

// ---- adam(w, g, m, v, weightDecay, beta1, beta2, eps, stepSize, bc2) ---------------------------------------------
// torch.optim.Adam with L2 weight decay, float32 state, arithmetic in double exactly as src/model/adam.ts does it.
TAAN_CLONES void AdamLoop(float* __restrict w, const float* __restrict g, float* __restrict m, float* __restrict v, size_t n,
                          double wd, double b1, double b2, double eps, double stepSize, double bc2) {
  for (size_t i = 0; i < n; i++) {
    const double wi = w[i];
    const double gi = static_cast<double>(g[i]) + wd * wi;
    const double mi = b1 * m[i] + (1 - b1) * gi;
    const double vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    w[i] = static_cast<float>(wi - stepSize * (mi / (std::sqrt(vi) / bc2 + eps)));
  }
}

Napi::Value Adam(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 10) return Fail(env, "adam takes 10 arguments"), env.Undefined();
  F32(0, "w", w, n);
  F32(1, "g", g, gLen);
  F32(2, "m", m, mLen);
  F32(3, "v", v, vLen);
  const double wd = Num(info, 4), b1 = Num(info, 5), b2 = Num(info, 6), eps = Num(info, 7), stepSize = Num(info, 8), bc2 = Num(info, 9);
  if (gLen < n || mLen < n || vLen < n) return Fail(env, "array too small"), env.Undefined();
  if (g == w || m == w || v == w || m == v || g == m || g == v) return Fail(env, "adam arrays must not overlap"), env.Undefined();
  // Within the step the moments stay doubles, as in the JS loop, so both give the same float32 results.
  AdamLoop(w, g, m, v, n, wd, b1, b2, eps, stepSize, bc2);
  return env.Undefined();
}

// ---- mean2(out, a, b): out = (a + b) / 2 (the data-parallel average) ------------------------------------------
Napi::Value Mean2(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  F32(0, "out", out, n);
  F32(1, "a", a, aLen);
  F32(2, "b", b, bLen);
  if (aLen < n || bLen < n) return Fail(env, "array too small"), env.Undefined();
  for (size_t i = 0; i < n; i++) out[i] = static_cast<float>((static_cast<double>(a[i]) + b[i]) * 0.5);
  return env.Undefined();
}

// ---- info(): what OpenBLAS this is --------------------------------------------------------------------------
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("config", Napi::String::New(env, openblas_get_config()));
  o.Set("corename", Napi::String::New(env, openblas_get_corename()));
  o.Set("threads", Napi::Number::New(env, openblas_get_num_threads()));
  const int par = openblas_get_parallel();
  o.Set("parallel", Napi::String::New(env, par == 0 ? "sequential" : par == 1 ? "pthread" : par == 2 ? "openmp" : "unknown"));
#if defined(__x86_64__) && defined(__GNUC__)
  o.Set("packedGemm", Napi::Boolean::New(env, kHasAvx512));
#else
  o.Set("packedGemm", Napi::Boolean::New(env, false));
#endif
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // One BLAS thread per calling thread: our parallelism is our own worker threads (pool and data-parallel partner).
  openblas_set_num_threads(1);
  exports.Set("sgemm", Napi::Function::New(env, Sgemm));
  exports.Set("fillRows", Napi::Function::New(env, FillRows));
  exports.Set("packB", Napi::Function::New(env, PackB));
  exports.Set("sgemmPacked", Napi::Function::New(env, SgemmPacked));
  exports.Set("colSums", Napi::Function::New(env, ColSums));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("reluBackward", Napi::Function::New(env, ReluBackward));
  exports.Set("taanForward", Napi::Function::New(env, TaanForward));
  exports.Set("taanBackward", Napi::Function::New(env, TaanBackward));
  exports.Set("bce", Napi::Function::New(env, Bce));
  exports.Set("sigmoid", Napi::Function::New(env, Sigmoid));
  exports.Set("topK", Napi::Function::New(env, TopK));
  exports.Set("adam", Napi::Function::New(env, Adam));
  exports.Set("mean2", Napi::Function::New(env, Mean2));
  exports.Set("info", Napi::Function::New(env, Info));
  return exports;
}

}  // namespace

NODE_API_MODULE(taan_blas, Init)
