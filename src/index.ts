// Public library API.
export * from "./schema/analysis.js";
export { Doc, type DocInput, type TokenTable, type SentenceSpan } from "./doc/doc.js";
export type { Layers, LayerName } from "./doc/layers.js";
export { type Stage, type StageContext, defineStage } from "./pipeline/stage.js";
export {
  Pipeline,
  createPipeline,
  analyze,
  STAGE_NAMES,
  type StageName,
  type PipelineOptions,
} from "./pipeline/pipeline.js";
export { toAnalysis } from "./pipeline/output.js";
export {
  loadInputs,
  fromBuffer,
  inputsFromBuffer,
  type IngestOptions,
  type BufferHints,
} from "./ingest/index.js";
