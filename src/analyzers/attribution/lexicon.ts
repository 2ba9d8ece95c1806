// Compiled view of lexicon.json: cue forms with framing, modifiers, hedges, evidence and
// unsupported-claim patterns, speaker vocabularies. Loaded once per process.
import lexiconData from "./lexicon.json" with { type: "json" };

export type Framing = "neutral" | "distancing" | "loaded" | "endorsing";

interface CueEntry {
  framing: string;
  forms?: string[];
  polnear?: number;
}

/** Regular inflections of a verb lemma (say -> say, says, sayed, saying is overridden by `forms`). */
export function cueForms(lemma: string, forms?: string[]): string[] {
  if (forms) return forms;
  const out = new Set<string>([lemma]);
  if (/(?:s|sh|ch|x|z)$/.test(lemma)) out.add(lemma + "es");
  else out.add(lemma + "s");
  if (lemma.endsWith("e")) {
    out.add(lemma + "d");
    out.add(lemma.slice(0, -1) + "ing");
  } else {
    out.add(lemma + "ed");
    out.add(lemma + "ing");
  }
  return [...out];
}

export interface CueInfo {
  lemma: string;
  framing: Framing;
  /** The word after the verb for phrasal cues ("point out"). */
  particle?: string;
  needClause: boolean;
}

export interface Lexicon {
  /** Single-token cue form -> info. */
  cueVerbs: Map<string, CueInfo>;
  nounCues: Map<string, Framing>;
  loadedModifiers: Set<string>;
  distancingModifiers: Set<string>;
  participleCues: Set<string>;
  passiveCues: Set<string>;
  adverbsBetween: Set<string>;
  anonymousHeads: Set<string>;
  personTitles: Set<string>;
  roleClasses: Map<string, string[]>;
  /** Lower-cased word or phrase -> nationality code. */
  nationality: Map<string, string>;
  gpe: Set<string>;
  orgWords: Set<string>;
  pronouns: Map<string, string>;
  hedgeRe: RegExp;
  evidenceNounRe: RegExp;
  evidenceVerbRe: RegExp;
  vagueEvidenceRe: RegExp;
  hedges: PhraseMatcher;
  evidenceNouns: PhraseMatcher;
  evidenceVerbs: PhraseMatcher;
  vagueEvidence: PhraseMatcher;
  prediction: PhraseMatcher;
  comparatives: PhraseMatcher;
  unsupportedRe: RegExp;
  predictionRe: RegExp;
  comparativeRe: RegExp;
  notClaimStarts: string[];
  countryNames: Map<string, string>;
  nameParticles: Set<string>;
  notNames: Set<string>;
  capitals: Set<string>;
  placeWords: Set<string>;
  thingWords: Set<string>;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A case-insensitive word-bounded alternation, longest phrase first; typographic apostrophes accepted. */
function phraseRe(list: string[]): RegExp {
  const alts = [...list]
    .sort((a, b) => b.length - a.length)
    .map((p) => escape(p).replace(/'/g, "['’]").replace(/ /g, "\\s+"));
  return new RegExp(`(?<![\\w-])(?:${alts.join("|")})(?![\\w-])`, "gi");
}

let compiled: Lexicon | null = null;

export function lexicon(): Lexicon {
  if (compiled) return compiled;
  const L = lexiconData as unknown as {
    cues: Record<string, CueEntry>;
    needClause: string[];
    nounCues: Record<string, string>;
    loadedModifiers: string[];
    distancingModifiers: string[];
    participleCues: string[];
    passiveCues: string[];
    adverbsBetween: string[];
    anonymousHeads: string[];
    personTitles: string[];
    roleClasses: Record<string, string[]>;
    nationalities: Record<string, string[]>;
    gpe: string[];
    orgWords: string[];
    pronouns: Record<string, string>;
    hedges: string[];
    evidenceNouns: string[];
    evidenceVerbs: string[];
    vagueEvidence: string[];
    unsupported: string[];
    prediction: string[];
    comparatives: string[];
    notClaimStarts: string[];
    countryNames: Record<string, string>;
    nameParticles: string[];
    notNames: string[];
    capitals: string[];
    placeWords: string[];
    thingWords: string[];
  };
  const needClause = new Set(L.needClause);
  const cueVerbs = new Map<string, CueInfo>();
  for (const [lemma, e] of Object.entries(L.cues)) {
    const [head, particle] = lemma.split(" ");
    for (const f of cueForms(head!, particle ? undefined : e.forms)) {
      if (!cueVerbs.has(f)) {
        cueVerbs.set(f, {
          lemma,
          framing: e.framing as Framing,
          ...(particle && { particle }),
          needClause: needClause.has(lemma),
        });
      }
    }
  }
  const nationality = new Map<string, string>();
  for (const [code, words] of Object.entries(L.nationalities))
    for (const w of words) nationality.set(w, code);
  compiled = {
    cueVerbs,
    nounCues: new Map(Object.entries(L.nounCues).map(([k, v]) => [k, v as Framing])),
    loadedModifiers: new Set(L.loadedModifiers),
    distancingModifiers: new Set(L.distancingModifiers),
    participleCues: new Set(L.participleCues),
    passiveCues: new Set(L.passiveCues),
    adverbsBetween: new Set(L.adverbsBetween),
    anonymousHeads: new Set(L.anonymousHeads),
    personTitles: new Set(L.personTitles),
    roleClasses: new Map(Object.entries(L.roleClasses)),
    nationality,
    gpe: new Set(L.gpe),
    orgWords: new Set(L.orgWords),
    pronouns: new Map(Object.entries(L.pronouns)),
    hedgeRe: phraseRe(L.hedges),
    hedges: new PhraseMatcher(L.hedges),
    evidenceNouns: new PhraseMatcher(L.evidenceNouns),
    evidenceVerbs: new PhraseMatcher(L.evidenceVerbs),
    vagueEvidence: new PhraseMatcher(L.vagueEvidence),
    prediction: new PhraseMatcher(L.prediction),
    comparatives: new PhraseMatcher(L.comparatives),
    evidenceNounRe: phraseRe(L.evidenceNouns),
    evidenceVerbRe: phraseRe(L.evidenceVerbs),
    vagueEvidenceRe: phraseRe(L.vagueEvidence),
    unsupportedRe: new RegExp(`\\b(?:${L.unsupported.join("|")})\\b`, "gi"),
    predictionRe: phraseRe(L.prediction),
    comparativeRe: phraseRe(L.comparatives),
    notClaimStarts: L.notClaimStarts,
    countryNames: new Map(Object.entries(L.countryNames)),
    nameParticles: new Set(L.nameParticles),
    notNames: new Set(L.notNames),
    capitals: new Set(L.capitals),
    placeWords: new Set(L.placeWords),
    thingWords: new Set(L.thingWords),
  };
  return compiled;
}

/** Token norms of a lexicon phrase, split like wink splits text ("so-called" -> so - called, "won't" -> will not). */
export function phraseTokens(phrase: string): string[] {
  const out: string[] = [];
  for (const w of phrase.toLowerCase().replace(/’/g, "'").split(/\s+/)) {
    if (!w) continue;
    if (w === "won't") out.push("will", "not");
    else if (w === "'ll") out.push("will");
    else if (w.endsWith("n't")) out.push(w.slice(0, -3), "not");
    else for (const part of w.split(/(-)/)) if (part) out.push(part);
  }
  return out;
}

/**
 * Phrase lookup over the Doc's token norms (no regex over text): at each token the longest listed
 * phrase starting there, matches do not overlap.
 */
export class PhraseMatcher {
  private readonly byFirst = new Map<string, string[][]>();

  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      const toks = phraseTokens(p);
      if (toks.length === 0) continue;
      const list = this.byFirst.get(toks[0]!) ?? [];
      list.push(toks);
      this.byFirst.set(toks[0]!, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** Matches within tokens [a, b) as token ranges [start, end). */
  match(norm: readonly string[], a: number, b: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = a; i < b; i++) {
      const list = this.byFirst.get(norm[i]!);
      if (!list) continue;
      for (const toks of list) {
        if (i + toks.length > b) continue;
        let ok = true;
        for (let k = 1; k < toks.length; k++) {
          if (norm[i + k] !== toks[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          out.push([i, i + toks.length]);
          i += toks.length - 1;
          break;
        }
      }
    }
    return out;
  }
}
