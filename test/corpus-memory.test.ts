// Memory-bounded ingest pieces: the compact LSH index must find exactly what a plain search over the
// same band buckets finds (across growth, removal and slot reuse), and a worker heap limit too small for
// the models must stop the ingest with one clear message.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ingestCorpus } from "../src/corpus/ingest.js";
import { jaccard, LshIndex, MINHASH_SIZE } from "../src/corpus/minhash.js";
import { mulberry32, shuffleInPlace } from "../src/learn/rng.js";

const BANDS = 16;
const ROWS = MINHASH_SIZE / BANDS;

function sharesBand(a: Uint32Array, b: Uint32Array): boolean {
  for (let band = 0; band < BANDS; band++) {
    let same = true;
    for (let r = 0; r < ROWS && same; r++) same = a[band * ROWS + r] === b[band * ROWS + r];
    if (same) return true;
  }
  return false;
}

describe("compact LSH index", () => {
  it("returns the best band-sharing match above the threshold, like a linear scan", () => {
    const rand = mulberry32(7);
    const u32 = () => Math.floor(rand() * 0x100000000) >>> 0;
    const fresh = () => Uint32Array.from({ length: MINHASH_SIZE }, u32);
    // Near copies: every row of a random subset of bands changed, so bands decide what is found.
    const near = (s: Uint32Array, changedBands: number) => {
      const c = s.slice();
      const order = shuffleInPlace(
        Array.from({ length: BANDS }, (_, i) => i),
        rand,
      );
      for (const band of order.slice(0, changedBands)) c[band * ROWS + Math.floor(rand() * ROWS)] = u32();
      return c;
    };
    const lsh = new LshIndex<string>();
    const live = new Map<string, Uint32Array>();
    const originals: Uint32Array[] = [];
    // More items than the initial slab holds (256), with removals so that slots are reused.
    for (let i = 0; i < 700; i++) {
      const s =
        i % 3 === 0 && originals.length > 0 ? near(originals[i % originals.length]!, 1 + (i % 5)) : fresh();
      originals.push(s);
      lsh.add(`k${i}`, s);
      live.set(`k${i}`, s);
      if (i % 7 === 3) {
        const gone = `k${i - 2}`;
        lsh.remove(gone);
        live.delete(gone);
      }
    }
    expect(lsh.size).toBe(live.size);
    let found = 0;
    for (let q = 0; q < 300; q++) {
      const query = near(originals[Math.floor(rand() * originals.length)]!, 1 + (q % 8));
      let best: { key: string; similarity: number } | null = null;
      for (const [key, s] of live) {
        if (!sharesBand(query, s)) continue;
        const sim = jaccard(query, s);
        if (sim >= 0.8 && (!best || sim > best.similarity)) best = { key, similarity: sim };
      }
      const got = lsh.best(query, 0.8);
      expect(got?.similarity ?? null).toBe(best?.similarity ?? null);
      if (best) {
        found++;
        expect(jaccard(query, live.get(got!.key)!)).toBe(best.similarity);
      }
    }
    // The planted near copies are found, and removed items are not.
    expect(found).toBeGreaterThan(50);
    for (let i = 1; i < 700; i += 7)
      if (!live.has(`k${i}`)) expect(lsh.best(originals[i]!, 0.99)?.key).not.toBe(`k${i}`);
  });
});

describe("worker heap limit", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-heap-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops with one clear message when the models do not fit the limit", async () => {
    const input = join(dir, "one.jsonl");
    writeFileSync(
      input,
      JSON.stringify({ id: "1", title: "T", text: "The council voted on Tuesday." }) + "\n",
    );
    await expect(
      ingestCorpus([input], {
        db: join(dir, "c.db"),
        workers: 1,
        workerHeapMb: 4,
        pipeline: { stages: ["entities"] },
      }),
    ).rejects.toThrow(/ran out of memory loading the models \(heap limit 4 MB\)/);
  });
});
