// Standard normal CDF/PDF and erf/erfc in float64, from W. J. Cody's rational Chebyshev
// approximations (Math. Comp. 23, 1969, and the ANORM/CALERF routines of SPECFUN).
// The Gram closed forms subtract products of these values, so single-precision-grade
// approximations (Abramowitz-Stegun 7.1.26 etc.) would leak ~1e-7 errors into the tests.

const INV_SQRT_2PI = 0.3989422804014327;
const INV_SQRT_PI = 0.5641895835477563;
const SQRT_32 = 5.656854249492381;

// Coefficients are Cody's published values written as their nearest doubles (lint forbids
// digits a double cannot hold); the parsed numbers are identical.

// Phi on |z| <= 0.67448975: Phi(z) = 1/2 + z * P(z^2)/Q(z^2).
const PA = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356,
  0.06568233791820745] as const;
const PB = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673] as const;
// Tail of Phi on 0.674 < |z| <= sqrt(32), times exp(z^2/2).
const PC = [0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002,
  2494.5375852903726, 6848.190450536283, 11602.65143764735, 9842.714838383978,
  1.0765576773720192e-8] as const;
const PD = [22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761,
  18615.571640885097, 34900.95272114598, 38912.00328609327, 19685.429676859992] as const;
// Asymptotic tail of Phi for |z| > sqrt(32), rational in 1/z^2.
const PP = [0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934,
  0.000029112874951168793, 0.023073441764940174] as const;
const PQ = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824,
  0.00007297515550839662] as const;

// erf on |x| <= 0.46875.
const EA = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694,
  0.18577770618460315] as const;
const EB = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171] as const;
// erfc(x) * exp(x^2) on 0.46875 < x <= 4.
const EC = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001,
  881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972,
  2.1531153547440383e-8] as const;
const ED = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
  3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495] as const;
// erfc(x) * exp(x^2) for x > 4, rational in 1/x^2.
const EP = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
  0.0006587491615298378, 0.016315387137302097] as const;
const EQ = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
  0.0023352049762686918] as const;

/**
 * exp(-scale * y^2) with y^2 split into an exactly representable part and a small
 * remainder: the rounding error of y*y alone would cost ~y^2 ulps of relative accuracy.
 */
function expNegSquare(y: number, scale: number): number {
  const head = Math.trunc(y * 16) / 16;
  const del = (y - head) * (y + head);
  return Math.exp(-scale * head * head) * Math.exp(-scale * del);
}

/** Rational P(t)/Q(t) where num has n+1 coefficients (last one leading) and den n, in Cody's layout. */
function codyRatio(num: readonly number[], den: readonly number[], t: number): number {
  const n = den.length;
  let xn = (num[n] as number) * t;
  let xd = t;
  for (let i = 0; i < n - 1; i++) {
    xn = (xn + (num[i] as number)) * t;
    xd = (xd + (den[i] as number)) * t;
  }
  return (xn + (num[n - 1] as number)) / (xd + (den[n - 1] as number));
}

/** erfc(y) for y > 0.46875 (relative accuracy kept in the far tail). */
function erfcPositiveTail(y: number): number {
  if (y > 26.6) return 0;
  let scaled: number;
  if (y <= 4) {
    scaled = codyRatio(EC, ED, y);
  } else {
    const t = 1 / (y * y);
    scaled = (INV_SQRT_PI - t * codyRatio(EP, EQ, t)) / y;
  }
  return scaled * expNegSquare(y, 1);
}

export function erf(x: number): number {
  const y = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (y <= 0.46875) return x * codyRatio(EA, EB, x * x);
  const c = erfcPositiveTail(y);
  return x < 0 ? c - 1 : 1 - c;
}

export function erfc(x: number): number {
  const y = Math.abs(x);
  if (Number.isNaN(x)) return NaN;
  if (y <= 0.46875) return 1 - x * codyRatio(EA, EB, x * x);
  const c = erfcPositiveTail(y);
  return x < 0 ? 2 - c : c;
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  // Beyond 39 the density is below the smallest subnormal; the guard also keeps Infinity out
  // of expNegSquare, where Infinity - Infinity would give NaN.
  if (Math.abs(z) > 39) return 0;
  return INV_SQRT_2PI * expNegSquare(Math.abs(z), 0.5);
}

/**
 * Standard normal CDF Phi(z), Cody's ANORM evaluated directly in z (rather than through
 * erfc(z / sqrt 2)) so the argument is not rounded before entering the tail.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const y = Math.abs(z);
  if (y <= 0.67448975) return 0.5 + z * codyRatio(PA, PB, z * z);
  let tail: number;
  if (y <= SQRT_32) {
    tail = codyRatio(PC, PD, y) * expNegSquare(y, 0.5);
  } else if (y < 38.5) {
    const t = 1 / (z * z);
    tail = ((INV_SQRT_2PI - t * codyRatio(PP, PQ, t)) / y) * expNegSquare(y, 0.5);
  } else {
    tail = 0;
  }
  return z > 0 ? 1 - tail : tail;
}
