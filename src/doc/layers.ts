// The typed layers analyzers add to a Doc. A stage declares which of these it reads and which one
// it adds; the pipeline checks the order. Types come from the output contract where one exists.
import type { Claim, Credibility, Entity, FactCheckMatch, Stance, Technique } from "../schema/analysis.js";

/** A date, time, number, money or percent expression found by wink-nlp. */
export interface Quantity {
  start: number;
  end: number;
  type: string;
}

export interface Layers {
  /** Dates and numbers (nlp stage, always present). */
  quantities: Quantity[];
  entities: Entity[];
  claims: Claim[];
  /** Check-worthiness per sentence (index-aligned) and per claim id. */
  checkworthiness: { sentences: number[]; claims: Record<string, number> };
  /** Matches from the fact-check memory, per claim id. */
  factChecks: Record<string, FactCheckMatch[]>;
  techniques: Technique[];
  /** Absent for a document without a title or body. */
  stance: Stance | undefined;
  /** Absent for a text with too little body to judge. */
  credibility: Credibility | undefined;
}

export type LayerName = keyof Layers;
/** Layers every Doc has from construction: text, paragraphs, sentences, tokens and quantities. */
export const BASE_LAYERS = ["text", "paragraphs", "sentences", "tokens", "quantities"] as const;
export type BaseLayer = (typeof BASE_LAYERS)[number];
