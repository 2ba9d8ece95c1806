// The analysis pipeline, readable in one place. Each analyzer lives in src/analyzers/<name>/ and
// exports a factory that loads its model once and returns a Stage that adds one layer.
import { Doc, type DocInput } from "../doc/doc.js";
import { BASE_LAYERS } from "../doc/layers.js";
import type { Analysis } from "../schema/analysis.js";
import { toAnalysis } from "./output.js";
import { applyStage, type Stage, type StageContext } from "./stage.js";
import { createEntitiesStage } from "../analyzers/entities/index.js";
import { createAttributionStage } from "../analyzers/attribution/index.js";
import { createCheckworthinessStage } from "../analyzers/checkworthiness/index.js";
import { createFactCheckStage } from "../analyzers/factchecks/index.js";
import { createTechniquesStage } from "../analyzers/techniques/index.js";
import { createStanceStage } from "../analyzers/stance/index.js";
import { createCredibilityStage } from "../analyzers/credibility/index.js";

export interface PipelineOptions {
  /** Stages to run, in pipeline order; default: all. */
  stages?: readonly StageName[];
  /** Fact-check memory (SQLite file); matching is skipped when it is absent. */
  db?: string;
  /** Free-form options handed to every stage. */
  [key: string]: unknown;
}

type StageFactory = (options: PipelineOptions) => Promise<Stage>;

/** Order matters: a stage may only read layers added above it. */
const FACTORIES = {
  entities: createEntitiesStage, // PERSON/ORG/GPE with within-document aliases
  attribution: createAttributionStage, // claims: speaker, cue, content, evidence, hedges
  checkworthiness: createCheckworthinessStage, // per sentence and per claim
  factchecks: createFactCheckStage, // earlier fact-checks matching each claim
  techniques: createTechniquesStage, // persuasion techniques as spans
  stance: createStanceStage, // headline vs body
  credibility: createCredibilityStage, // explained score from all of the above
} satisfies Record<string, StageFactory>;

export type StageName = keyof typeof FACTORIES;
export const STAGE_NAMES = Object.keys(FACTORIES) as StageName[];

export class Pipeline {
  constructor(
    readonly stages: readonly Stage[],
    private readonly options: PipelineOptions = {},
  ) {
    const available = new Set<string>(BASE_LAYERS);
    for (const stage of stages) {
      for (const layer of stage.reads) {
        if (!available.has(layer))
          throw new Error(`stage "${stage.name}" reads "${layer}", which no earlier stage adds`);
      }
      available.add(stage.adds);
    }
  }

  /**
   * Runs every stage over the Doc, timing each. Non-English docs get language-independent stages only; every stage
   * that adds no layer says why in `doc.skipped`, so an absent layer is never silent.
   */
  run(doc: Doc): Doc {
    const ctx: StageContext = { options: this.options };
    const english = doc.meta.language === "eng" || doc.meta.language === "und";
    for (const stage of this.stages) {
      if (!english && !stage.languageIndependent) {
        doc.skipped[stage.name] =
          `not run: the text reads as language "${doc.meta.language}" and this stage is English-only`;
        continue;
      }
      const t0 = performance.now();
      applyStage(doc, stage, ctx);
      doc.timings[stage.name] = performance.now() - t0;
    }
    return doc;
  }

  analyze(input: DocInput | string): Analysis {
    const doc = Doc.create(typeof input === "string" ? { text: input } : input);
    return toAnalysis(this.run(doc));
  }
}

/** Builds a pipeline with the chosen stages (default all), loading each stage's model once. */
export async function createPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const names = options.stages ?? STAGE_NAMES;
  for (const n of names)
    if (!(n in FACTORIES)) throw new Error(`unknown stage "${n}" (known: ${STAGE_NAMES.join(", ")})`);
  const ordered = STAGE_NAMES.filter((n) => names.includes(n));
  const stages = await Promise.all(ordered.map((n) => (FACTORIES[n] as StageFactory)(options)));
  return new Pipeline(stages, options);
}

let defaultPipeline: Promise<Pipeline> | null = null;

/** Analyzes one document with the full default pipeline (cached across calls) or the given options. */
export async function analyze(input: DocInput | string, options?: PipelineOptions): Promise<Analysis> {
  if (options) return (await createPipeline(options)).analyze(input);
  defaultPipeline ??= createPipeline();
  return (await defaultPipeline).analyze(input);
}
