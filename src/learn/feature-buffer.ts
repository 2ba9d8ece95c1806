// A growable list of hashed (index, value) features, filled per item in hot paths without allocating:
// analyzers push feature indices into it and score it against flat weight arrays.

/** A reusable list of (index, value) features; indices may repeat (values then add up). */
export class FeatureBuffer {
  idx: Int32Array;
  val: Float32Array;
  n = 0;

  constructor(
    readonly dim: number,
    capacity = 256,
  ) {
    this.idx = new Int32Array(capacity);
    this.val = new Float32Array(capacity);
  }

  push(index: number, value = 1): void {
    if (this.n === this.idx.length) {
      const idx = new Int32Array(this.n * 2);
      const val = new Float32Array(this.n * 2);
      idx.set(this.idx);
      val.set(this.val);
      this.idx = idx;
      this.val = val;
    }
    this.idx[this.n] = index & (this.dim - 1);
    this.val[this.n++] = value;
  }

  /** w·x + bias for a binary model with one weight per feature. */
  dot(W: Float32Array, bias: number): number {
    let z = bias;
    for (let k = 0; k < this.n; k++) z += W[this.idx[k]!]! * this.val[k]!;
    return z;
  }

  /**
   * Adds the logits of a K-output model stored compactly into out: slotOf[f] is the row of feature f in W
   * (W[row * K + k]), or -1 when the feature never got a weight (it then contributes nothing).
   */
  scoresInto(slotOf: Int32Array, W: Float32Array, K: number, out: Float64Array): void {
    for (let j = 0; j < this.n; j++) {
      const row = slotOf[this.idx[j]!]!;
      if (row < 0) continue;
      const base = row * K;
      const v = this.val[j]!;
      for (let k = 0; k < K; k++) out[k]! += W[base + k]! * v;
    }
  }
}
