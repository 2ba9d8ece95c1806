// The attribution stage: claims with speaker, cue, content, evidence, hedges and framing.
// Rules (rules.ts) find the patterns a fact-checker needs with structure (according-to, headline,
// noun cues, participles, passives, appositives); the learned PolNeAR tagger (tagger/) adds the
// attributions rules miss. Speakers are resolved to entities within the document (speakers.ts).
import type { Doc } from "../../doc/doc.js";
import { defineStage, type Stage } from "../../pipeline/stage.js";
import type { Claim, Span } from "../../schema/analysis.js";
import { buildClaims, type Candidate } from "./claims.js";
import { lexicon, type Framing } from "./lexicon.js";
import { RuleFinder } from "./rules.js";
import { loadAttributionTagger, type RawAttribution } from "./tagger/index.js";

export interface AttributionOptions {
  /** Use the shipped PolNeAR tagger next to the rules (default true when the model is shipped). */
  attributionTagger?: boolean;
  /** Add the author's own checkable claims (kind "unattributed"); default true. */
  authorClaims?: boolean;
}

interface TaggerLike {
  tagAttributions(doc: Doc): RawAttribution[];
}

/** Rule candidates for a Doc (exported for tests and the eval). */
export function ruleCandidates(doc: Doc): Candidate[] {
  return new RuleFinder(doc).find();
}

/** Claims for a Doc from rules plus, when given, tagger relations the rules did not find. */
export function attributeClaims(doc: Doc, tagger: TaggerLike | null, opts: { authorClaims?: boolean } = {}): Claim[] {
  const candidates = ruleCandidates(doc);
  if (tagger) candidates.push(...taggerCandidates(doc, tagger.tagAttributions(doc), candidates));
  return buildClaims(doc, candidates, opts);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Tagger relations whose cue no rule found, as candidates (source tokens, framing from the lexicon). */
export function taggerCandidates(doc: Doc, raw: RawAttribution[], rules: Candidate[]): Candidate[] {
  const lex = lexicon();
  const out: Candidate[] = [];
  for (const r of raw) {
    if (!r.cue || r.content.length === 0) continue;
    const cue = r.cue;
    if (rules.some((c) => (c.cue && overlaps(c.cue, cue)) || c.content.some((p) => overlaps(p, cue)))) continue;
    let framing: Framing = "neutral";
    const words = doc.text.slice(cue.start, cue.end).toLowerCase().replace(/’/g, "'").split(/\s+/);
    for (const w of words) {
      const info = lex.cueVerbs.get(w);
      if (info) framing = info.framing;
      const noun = lex.nounCues.get(w);
      if (noun) framing = noun;
    }
    if (words.some((w) => lex.loadedModifiers.has(w))) framing = "loaded";
    const src = r.source?.[0];
    const source = src ? { tokStart: doc.tokenAtOrAfter(src.start), tokEnd: doc.tokenAtOrAfter(src.end - 1) + 1 } : null;
    const content = r.content.map((p) => trimQuotes(doc, p));
    const quoted = r.content.length === 1 && /^["“]/.test(doc.text.slice(r.content[0]!.start)) && /["”][.,]?$/.test(doc.slice(r.content[0]!));
    out.push({ pattern: "tagger", source, cue: { start: cue.start, end: cue.end, framing }, content, quoted, sentence: r.sentence });
  }
  return out;
}

function trimQuotes(doc: Doc, p: Span): Span {
  let a = p.start;
  let b = p.end;
  while (a < b && /[\s"“”‘’',:]/.test(doc.text[a]!)) a++;
  while (b > a && /[\s"“”,;:.]/.test(doc.text[b - 1]!)) b--;
  return { start: a, end: b };
}

export async function createAttributionStage(options: Record<string, unknown>): Promise<Stage> {
  const o = options as AttributionOptions;
  let tagger: TaggerLike | null = null;
  if (o.attributionTagger !== false) {
    try {
      tagger = await loadAttributionTagger();
    } catch {
      tagger = null; // no shipped model: rules only
    }
  }
  lexicon();
  return defineStage({
    name: "attribution",
    reads: ["tokens", "sentences", "quantities"],
    adds: "claims",
    run: (doc, ctx) => {
      const authorClaims = (ctx.options as AttributionOptions).authorClaims ?? o.authorClaims;
      return attributeClaims(doc, tagger, { authorClaims });
    },
  });
}
