// The one output contract, `claimscope/analysis@1`. Every shell (library, CLI, server, UI, store)
// speaks this; TypeScript types are derived from it, never written twice.
import { z } from "zod";

export const SCHEMA_ID = "claimscope/analysis@1" as const;

/** A character range into `document.text` (end exclusive). */
export const Span = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type Span = z.infer<typeof Span>;

export const TextSpan = Span.extend({ text: z.string() });
export type TextSpan = z.infer<typeof TextSpan>;

export const EntityType = z.enum(["PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "MISC"]);
export type EntityType = z.infer<typeof EntityType>;

export const Entity = z.object({
  id: z.string(),
  name: z.string(),
  type: EntityType,
  aliases: z.array(z.string()),
  /** Roles and titles the text gives this entity ("Foreign Minister", "Kremlin's spokesman"). */
  roles: z.array(z.string()).optional(),
  mentions: z.array(TextSpan),
});
export type Entity = z.infer<typeof Entity>;

export const Document = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  /** ISO 639-3 code from franc, or "und" when undetermined. */
  language: z.string(),
  url: z.string().optional(),
  source: z.string().optional(),
  published: z.string().optional(),
  byline: z.string().optional(),
  /** Where the headline sits in `text` (the headline is analyzed with the body). */
  headline: Span.optional(),
  /** Scraping residue kept out of `text` ("You Might Also Like", share lines …), with the reason. */
  removed: z.array(z.object({ text: z.string(), reason: z.string() })).optional(),
});
export type Document = z.infer<typeof Document>;

export const Sentence = Span.extend({
  /** Probability that the sentence holds a check-worthy factual claim. */
  checkworthiness: z.number().min(0).max(1).optional(),
});
export type Sentence = z.infer<typeof Sentence>;

export const SpeakerType = z.enum(["PERSON", "ORG", "GPE", "ANONYMOUS", "AUTHOR"]);
export const CueFraming = z.enum(["neutral", "distancing", "loaded", "endorsing"]);
export const ClaimKind = z.enum(["direct", "indirect", "mixed", "according-to", "headline", "unattributed"]);
export const EvidenceStatus = z.enum(["cited", "anonymous", "none-stated", "unsupported"]);

export const FactCheckMatch = z.object({
  claimReviewed: z.string(),
  /** The rating exactly as the publisher published it; claimscope never invents one. */
  rating: z.string(),
  publisher: z.string(),
  url: z.string(),
  date: z.string().optional(),
  /** Who made the reviewed claim, as the fact-check names them (LIAR: PolitiFact's speaker slug, "rick perry"). */
  claimant: z.string().optional(),
  score: z.number(),
  /**
   * Shares of content words in common: of the fact-check's claim found in the claim, and of the claim's found in
   * the fact-check (claim + title). They decide whether the claim restates the fact-check.
   */
  overlap: z.object({ factCheck: z.number().min(0).max(1), claim: z.number().min(0).max(1) }).optional(),
  /** The claim's words that the fact-check also has, as spans of `document.text`: what the match rests on. */
  matched: z.array(Span).optional(),
});
export type FactCheckMatch = z.infer<typeof FactCheckMatch>;

export const Claim = z.object({
  id: z.string(),
  kind: ClaimKind,
  speaker: z
    .object({
      name: z.string(),
      type: SpeakerType,
      entityId: z.string().optional(),
      start: z.number().int().optional(),
      end: z.number().int().optional(),
    })
    .nullable(),
  cue: TextSpan.extend({ framing: CueFraming }).nullable(),
  content: TextSpan.extend({ parts: z.array(Span).optional() }),
  evidence: z.object({
    status: EvidenceStatus,
    markers: z.array(TextSpan.extend({ type: z.string() })),
  }),
  hedges: z.array(TextSpan),
  /** Index into `sentences`. */
  sentence: z.number().int().nonnegative(),
  checkworthiness: z.number().min(0).max(1).optional(),
  factChecks: z.array(FactCheckMatch).optional(),
});
export type Claim = z.infer<typeof Claim>;

export const TECHNIQUES = [
  "Loaded_Language",
  "Name_Calling,Labeling",
  "Repetition",
  "Doubt",
  "Exaggeration,Minimisation",
  "Appeal_to_fear-prejudice",
  "Flag-Waving",
  "Causal_Oversimplification",
  "Appeal_to_Authority",
  "Slogans",
  "Whataboutism,Straw_Men,Red_Herring",
  "Black-and-White_Fallacy",
  "Thought-terminating_Cliches",
  "Bandwagon,Reductio_ad_hitlerum",
] as const;
export const TechniqueName = z.enum(TECHNIQUES);
export type TechniqueName = z.infer<typeof TechniqueName>;

export const Technique = TextSpan.extend({
  technique: TechniqueName,
  confidence: z.number().min(0).max(1),
  explanation: z.string(),
});
export type Technique = z.infer<typeof Technique>;

export const StanceLabel = z.enum(["agree", "disagree", "discuss", "unrelated"]);
export const Stance = z.object({
  label: StanceLabel,
  scores: z.record(StanceLabel, z.number()),
});
export type Stance = z.infer<typeof Stance>;

export const CredibilityFactor = z.object({
  name: z.string(),
  /** Signed contribution: negative lowers credibility, positive raises it. */
  effect: z.number(),
  detail: z.string(),
  spans: z.array(TextSpan),
});
export const Credibility = z.object({
  score: z.number().min(0).max(100),
  band: z.enum(["low", "mixed", "high"]),
  probability: z.number().min(0).max(1),
  factors: z.array(CredibilityFactor),
});
export type Credibility = z.infer<typeof Credibility>;

export const Analysis = z.object({
  schema: z.literal(SCHEMA_ID),
  document: Document,
  sentences: z.array(Sentence),
  entities: z.array(Entity),
  claims: z.array(Claim),
  techniques: z.array(Technique),
  stance: Stance.optional(),
  credibility: Credibility.optional(),
  /**
   * Stages that added nothing to this analysis, with why ("credibility": "too little body text to judge …").
   * Present only when a stage declined; an absent layer without an entry here means the stage was not asked for.
   */
  skipped: z.record(z.string(), z.string()).optional(),
  /** Milliseconds per pipeline stage. */
  timings: z.record(z.string(), z.number()),
});
export type Analysis = z.infer<typeof Analysis>;

/**
 * claimscope as schema.org's `Claim.claimInterpreter` (JSON-LD of an analysis and of a corpus export): the
 * software that read the claim, never a fact-checker. `offsets` says what the claims' start/end index.
 */
export function claimInterpreter(offsets: string) {
  return {
    "@type": "SoftwareApplication",
    name: "claimscope",
    applicationCategory: "claim attribution and analysis",
    description: `automatic analysis (${SCHEMA_ID}); ${offsets}`,
  };
}
