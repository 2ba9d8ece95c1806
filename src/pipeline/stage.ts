// A pipeline stage: reads some layers of a Doc and adds exactly one.
import type { Doc } from "../doc/doc.js";
import type { BaseLayer, LayerName, Layers } from "../doc/layers.js";

export interface StageContext {
  /** Options the caller passed to analyze(); stages read only what concerns them. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface Stage<K extends LayerName = LayerName> {
  readonly name: string;
  readonly reads: readonly (LayerName | BaseLayer)[];
  readonly adds: K;
  /** True when the stage is meaningful for any language (non-English docs only run these). */
  readonly languageIndependent?: boolean;
  /** The stage's layer, or a `Skip` when it ran and declined to add one (the reason reaches the user). */
  run(doc: Doc, ctx: StageContext): Layers[K] | Skip;
}

/** A stage's answer when it will not judge this document; the analysis reports the reason under `skipped`. */
export class Skip {
  constructor(readonly reason: string) {}
}

/** Runs one stage over the Doc: stores its layer, or the reason it declined in `doc.skipped`. */
export function applyStage(doc: Doc, stage: Stage, ctx: StageContext): void {
  const out = stage.run(doc, ctx);
  if (out instanceof Skip) doc.skipped[stage.name] = out.reason;
  else (doc.layers as Record<LayerName, unknown>)[stage.adds] = out;
}

/** Helps TypeScript tie `adds` to the return type of `run`. */
export function defineStage<K extends LayerName>(stage: Stage<K>): Stage<K> {
  return stage;
}
