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
  run(doc: Doc, ctx: StageContext): Layers[K];
}

/** Helps TypeScript tie `adds` to the return type of `run`. */
export function defineStage<K extends LayerName>(stage: Stage<K>): Stage<K> {
  return stage;
}
