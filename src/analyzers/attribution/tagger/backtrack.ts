// The end of a 7-tag Viterbi decode, shared by the JS loop (model.ts) and the WebAssembly kernel
// (wasm-kernels.ts): the best last tag, then the back-pointers to the first token.

/** Tags of tokens [a, a + n) into out[a …] from the forward pass's scores and back-pointers (7 per token). */
export function backtrack7(
  score: Float64Array,
  back: ArrayLike<number>,
  n: number,
  out: Uint8Array,
  a: number,
): void {
  const last = (n - 1) * 7;
  let best = -Infinity;
  let tag = -1;
  for (let t = 0; t < 7; t++) {
    if (score[last + t]! > best) {
      best = score[last + t]!;
      tag = t;
    }
  }
  // Like learn/tagger, the last tag is left unwritten when no score beats -Infinity.
  if (tag >= 0) out[a + n - 1] = tag;
  for (let i = n - 1; i > 0; i--) out[a + i - 1] = back[i * 7 + out[a + i]!]!;
}
