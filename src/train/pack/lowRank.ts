// Truncated SVD of a K/V delta for a kohya LoRA export: ΔW [m, n] ≈ up [m, r] · down [r, n], with the measured
// relative error ‖ΔW − up·down‖_F / ‖ΔW‖_F. Pure float64 maths, no I/O; randomness only from a seeded Rng.
// Method: randomized subspace iteration (Halko, Martinsson & Tropp 2011, "Finding structure with randomness",
// Alg. 4.4) for an orthonormal basis Q of ΔW's dominant range, then the SVD of the small B = Qᵀ·ΔW through the
// eigen-decomposition of B·Bᵀ by cyclic Jacobi (their Alg. 5.1). By Eckart–Young the best rank-r error is
// √(Σ_{i>r} σᵢ²) / √(Σ σᵢ²); when rank(ΔW) ≤ r + oversampling, or r + oversampling ≥ min(m, n), Q spans the whole
// range and the result is that optimum (exact, up to float32 rounding, when rank(ΔW) ≤ r).
// Factor split as kohya-ss networks/extract_lora_from_models.py does: up = U_r·diag(σ_r), down = V_rᵀ, alpha = r.
// Deliberate deviation: no clamping of the factors at a quantile (kohya clamps at 0.99); the error is measured.
import { ConfigError } from '../../lib/errors';
import { Rng } from '../../lib/random';

/** Notation: A = ΔW [m, n] row-major; Q [m, k] orthonormal columns; B = Qᵀ A [k, n]; B Bᵀ = W Λ Wᵀ; σ = √λ. */
export type LowRankOptions = {
  /** extra columns of the random sketch beyond r (Halko et al. §4.2's p; default 8) */
  oversample?: number;
  /** subspace (power) iterations (Halko et al. Alg. 4.4's q; default 2: on a 0.7^i spectrum q = 1 is within 5e-8 of the
   *  optimum error and q = 2 within 1e-9, test/train/pack/lowRank.test.ts's case) */
  powerIterations?: number;
  /** seed of the Gaussian test matrix (default 0) */
  seed?: number;
};

export type LowRank = {
  /** the rank used: min(r, m, n) */
  rank: number;
  /** [m, rank] row-major: U_r·diag(σ_r) */
  up: Float32Array;
  /** [rank, n] row-major: V_rᵀ */
  down: Float32Array;
  /** σ_1 ≥ … of B (the top min(k, m, n) singular values found) */
  singularValues: Float64Array;
  /** ‖A − up·down‖_F, measured from the float32 factors */
  residualNorm: number;
  /** ‖A‖_F */
  norm: number;
  /** residualNorm / norm (0 for a zero matrix) */
  relativeError: number;
};

/** Columns of Y [m, k] (row-major) made orthonormal by modified Gram–Schmidt twice; dependent columns dropped. */
function orthonormalColumns(y: Float64Array, m: number, k: number): { q: Float64Array; k: number } {
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = y[i * k + j] as number;
    const start = norm2(v);
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let d = 0;
        for (let i = 0; i < m; i++) d += (c[i] as number) * (v[i] as number);
        for (let i = 0; i < m; i++) v[i] = (v[i] as number) - d * (c[i] as number);
      }
    }
    const nv = norm2(v);
    if (nv === 0 || nv <= 1e-10 * start) continue;
    for (let i = 0; i < m; i++) v[i] = (v[i] as number) / nv;
    cols.push(v);
  }
  const kk = cols.length;
  const q = new Float64Array(m * kk);
  cols.forEach((c, j) => { for (let i = 0; i < m; i++) q[i * kk + j] = c[i] as number; });
  return { q, k: kk };
}

function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/** A [m, n] · X [n, k] → [m, k], or with `transposed` Aᵀ [n, m] · X [m, k] → [n, k]; zeros of A are skipped. */
function mulA(a: Float32Array, m: number, n: number, x: Float64Array, k: number, transposed = false): Float64Array {
  const out = new Float64Array((transposed ? n : m) * k);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < n; l++) {
      const av = a[i * n + l] as number;
      if (av === 0) continue;
      const from = (transposed ? i : l) * k;
      const to = (transposed ? l : i) * k;
      for (let j = 0; j < k; j++) out[to + j] = (out[to + j] as number) + av * (x[from + j] as number);
    }
  }
  return out;
}

/** Eigen-decomposition of a symmetric [k, k] matrix by cyclic Jacobi rotations: values descending, vectors as columns. */
export function symmetricEigen(c: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(c);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { const x = (a[i * k + j] as number) ** 2; total += x; if (i !== j) off += x; }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q] as number;
        if (apq === 0) continue;
        const theta = ((a[q * k + q] as number) - (a[p * k + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p] as number, arq = a[r * k + q] as number;
          a[r * k + p] = cs * arp - sn * arq;
          a[r * k + q] = sn * arp + cs * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r] as number, aqr = a[q * k + r] as number;
          a[p * k + r] = cs * apr - sn * aqr;
          a[q * k + r] = sn * apr + cs * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p] as number, vrq = v[r * k + q] as number;
          v[r * k + p] = cs * vrp - sn * vrq;
          v[r * k + q] = sn * vrp + cs * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => (a[y * k + y] as number) - (a[x * k + x] as number));
  const values = Float64Array.from(order, (i) => a[i * k + i] as number);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => { for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src] as number; });
  return { values, vectors };
}

/**
 * Rank-r truncated SVD of `a` [m, n] (row-major float32) with its measured error (see the file header).
 * @throws ConfigError when the shape does not match the data or r < 1
 * @example truncatedSvd(Float32Array.of(3, 0, 0, 4), 2, 2, 1).relativeError // 0.6
 */
export function truncatedSvd(a: Float32Array, m: number, n: number, r: number, o: LowRankOptions = {}): LowRank {
  if (a.length !== m * n) throw new ConfigError(`truncatedSvd: ${a.length} values for shape [${m}, ${n}]`);
  if (!Number.isInteger(r) || r < 1) throw new ConfigError(`truncatedSvd: rank must be a positive integer (got ${r})`);
  const rank = Math.min(r, m, n);
  const k = Math.min(rank + (o.oversample ?? 8), m, n);
  const rng = new Rng(o.seed ?? 0);
  const omega = Float64Array.from(rng.normalArray(n * k));
  // 1. range finder with q subspace iterations (Alg. 4.4): Q = orth(A Ω), then Q ← orth(A orth(Aᵀ Q))
  let basis = orthonormalColumns(mulA(a, m, n, omega, k), m, k);
  for (let i = 0; i < (o.powerIterations ?? 2) && basis.k > 0; i++) {
    const z = orthonormalColumns(mulA(a, m, n, basis.q, basis.k, true), n, basis.k);
    basis = orthonormalColumns(mulA(a, m, n, z.q, z.k), m, z.k);
  }
  const { q, k: kq } = basis;
  // 2. B = Qᵀ A [kq, n] (stored as Bᵀ = Aᵀ Q [n, kq]); C = B Bᵀ; C = W Λ Wᵀ (Alg. 5.1 through the Gram matrix)
  const bt = mulA(a, m, n, q, kq, true);
  const c = new Float64Array(kq * kq);
  for (let i = 0; i < kq; i++) for (let j = i; j < kq; j++) {
    let s = 0;
    for (let l = 0; l < n; l++) s += (bt[l * kq + i] as number) * (bt[l * kq + j] as number);
    c[i * kq + j] = s;
    c[j * kq + i] = s;
  }
  const { values, vectors: w } = symmetricEigen(c, kq);
  const singularValues = Float64Array.from(values, (x) => Math.sqrt(Math.max(x, 0)));
  // 3. up = (Q W_r) σ_r, down = V_rᵀ = σ_r⁻¹ W_rᵀ B; directions with σ = 0 stay zero
  const used = Math.min(rank, kq);
  const up = new Float32Array(m * rank);
  const down = new Float32Array(rank * n);
  for (let j = 0; j < used; j++) {
    const s = singularValues[j] as number;
    if (!(s > 0)) continue;
    for (let i = 0; i < m; i++) {
      let u = 0;
      for (let l = 0; l < kq; l++) u += (q[i * kq + l] as number) * (w[l * kq + j] as number);
      up[i * rank + j] = u * s;
    }
    for (let l = 0; l < n; l++) {
      let d = 0;
      for (let t = 0; t < kq; t++) d += (w[t * kq + j] as number) * (bt[l * kq + t] as number);
      down[j * n + l] = d / s;
    }
  }
  // 4. the error of what is stored (float32 factors), measured
  let res = 0;
  let tot = 0;
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let j = 0; j < rank; j++) {
      const u = up[i * rank + j] as number;
      if (u === 0) continue;
      for (let l = 0; l < n; l++) row[l] = (row[l] as number) + u * (down[j * n + l] as number);
    }
    for (let l = 0; l < n; l++) {
      const x = a[i * n + l] as number;
      tot += x * x;
      res += (x - (row[l] as number)) ** 2;
    }
  }
  const residualNorm = Math.sqrt(res);
  const normA = Math.sqrt(tot);
  return { rank, up, down, singularValues, residualNorm, norm: normA, relativeError: normA > 0 ? residualNorm / normA : 0 };
}
