// Credibility signals read off a Doc and the layers other stages added. Each signal has a numeric value
// (a feature of the combiner), belongs to a named factor, and points at the spans of text that show it.
// Missing layers (a stage not run or not yet built) give zero values and no spans.
import type { Doc } from "../../doc/doc.js";
import type { TextSpan } from "../../schema/analysis.js";

/** Feature names, in the order of the combiner's input vector. */
export const FEATURES = [
  "text.model",
  "style.caps",
  "style.exclaim",
  "style.sensational",
  "style.headline",
  "style.you",
  "style.anonymous",
  "detail.quotes",
  "detail.numbers",
  "claims.unattributed",
  "claims.unsupported",
  "claims.framing",
  "claims.cited",
  "techniques.density",
  "stance.unrelated",
  "stance.disagree",
  "stance.agree",
  "factchecks.false",
] as const;
export type FeatureName = (typeof FEATURES)[number];

/** Which factor (explanation line) each feature belongs to. */
export const FACTOR_OF: Record<FeatureName, string> = {
  "text.model": "wording",
  "style.caps": "all-caps",
  "style.exclaim": "exclamation",
  "style.sensational": "sensational-words",
  "style.headline": "headline-style",
  "style.you": "reader-address",
  "style.anonymous": "anonymous-sourcing",
  "detail.quotes": "quotes-and-attribution",
  "detail.numbers": "specific-details",
  "claims.unattributed": "unattributed-assertions",
  "claims.unsupported": "unsupported-claims",
  "claims.framing": "cue-framing",
  "claims.cited": "cited-evidence",
  "techniques.density": "persuasion-techniques",
  "stance.unrelated": "headline-body-stance",
  "stance.disagree": "headline-body-stance",
  "stance.agree": "headline-body-stance",
  "factchecks.false": "fact-checks",
};

/** Documented direction of each feature: +1 raises credibility, -1 lowers it (the combiner is held to it). */
export const DIRECTION: Record<FeatureName, 1 | -1> = {
  "text.model": 1,
  "style.caps": -1,
  "style.exclaim": -1,
  "style.sensational": -1,
  "style.headline": -1,
  "style.you": -1,
  "style.anonymous": -1,
  "detail.quotes": 1,
  "detail.numbers": 1,
  "claims.unattributed": -1,
  "claims.unsupported": -1,
  "claims.framing": -1,
  "claims.cited": 1,
  "techniques.density": -1,
  "stance.unrelated": -1,
  "stance.disagree": -1,
  "stance.agree": 1,
  "factchecks.false": -1,
};

export interface Signals {
  values: Float64Array;
  /** Spans per factor name. */
  spans: Map<string, TextSpan[]>;
  /** Counts behind the values, for the explanation text. */
  counts: Record<string, number>;
}

const SENSATIONAL = new Set(
  (
    "shocking shock shocked stunning stunned outrageous bombshell slam slams slammed destroy destroys destroyed blast blasts " +
    "blasted unbelievable incredible jaw-dropping explosive astonishing sensational sensationally outlandish insane epic " +
    "horrifying terrifying disgusting exposed exposes busted meltdown furious outrage outraged scandal hysterical " +
    "mind-blowing brutal savage humiliate humiliated humiliating miracle shameful evil treason traitor traitors lunatic " +
    "crazy urgent alert conspiracy cover-up globalist globalists elites propaganda puppet wow bizarre disgrace disgraceful " +
    "catastrophic massive amazing horrific heartbreaking devastating devastated slammed rips trashes obliterates mocks " +
    "eviscerates hilarious dramatic drama feud feuding secretly secret explosive"
  ).split(" "),
);
/** Two-word sensational phrases (first word -> second words). */
const SENSATIONAL_PAIRS = new Map<string, Set<string>>([
  ["false", new Set(["flag"])],
  ["deep", new Set(["state"])],
  ["mainstream", new Set(["media"])],
  ["goes", new Set(["viral"])],
  ["breaking", new Set(["news"])],
  ["must", new Set(["see"])],
]);
/** Hearsay sourcing: single words, and "a/an/one source|insider|friend…", "sources say|told…". */
const ANON_WORDS = new Set(
  "reportedly allegedly rumored rumoured rumor rumors rumour rumours insider insiders".split(" "),
);
const ANON_DET = new Set(["a", "an", "one"]);
const ANON_WHO = new Set("source insider friend pal onlooker eyewitness".split(" "));
const ANON_VERB = new Set("say said says tell told claim claims reveal revealed".split(" "));
const SAID_WORDS = new Set("said says told stated explained added wrote announced confirmed".split(" "));
const YOU_WORDS = new Set(["you", "your", "yourself", "yours"]);
const ACRONYM_OK = new Set(
  "NATO NASA UNICEF OPEC ISIS NAACP FIFA COVID AIDS NASDAQ USDA NAFTA UNESCO NCAA NASCAR OSHA FEMA HIV CNN MSNBC ABC NBC CBS BBC FBI CIA NSA DHS IRS GOP DNC RNC EPA ESPN HBO USA UK EU UN NYPD LAPD MTV TMZ AMC NFL NBA NHL MLB UFC WWE IMDB CEO CFO LGBT LGBTQ SCOTUS POTUS FLOTUS ACLU NPR PBS AARP ICE DACA SNAP WHO UFO DNA GMO BREXIT".split(
    " ",
  ),
);
const CAPS = /\b[A-Z][A-Z'’]{3,}\b/g;
const HEAD_CLICK = /[!?]|\b(?:you|this|these|here's|here is|why|what|how|shocking|watch|video)\b/gi;

const FALSE_RATING =
  /\b(?:false|fake|pants on fire|pinocchio|incorrect|inaccurate|misleading|mostly false|wrong|fabricated|hoax|unproven|unsupported|no evidence|baseless|debunked|scam|satire|miscaptioned|misattributed|distorts|exaggerat\w*|not true|untrue|bogus|four pinocchios|three pinocchios)\b/i;

/** Whether a published fact-check rating is false-ish ("False", "Pants on Fire!", "Mostly false", "Four Pinocchios"…). */
export function isFalseRating(rating: string): boolean {
  if (
    /\b(?:mostly true|true|correct|accurate)\b/i.test(rating) &&
    !/\b(?:not|half|mostly false|un)\b/i.test(rating)
  )
    return false;
  return FALSE_RATING.test(rating);
}

function collect(
  re: RegExp,
  text: string,
  offset: number,
  keep: (m: string) => boolean,
  out: TextSpan[],
  max = 1e9,
): number {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text))) {
    if (!keep(m[0])) continue;
    n++;
    if (out.length < max)
      out.push({ start: offset + m.index, end: offset + m.index + m[0].length, text: m[0] });
  }
  return n;
}

const MAX_SPANS = 8;

function span(doc: Doc, start: number, end: number): TextSpan {
  return { start, end, text: doc.text.slice(start, end) };
}

/** Computes every signal except the text model's score (filled in by the caller at index 0). */
export function signals(doc: Doc): Signals {
  const text = doc.text;
  const values = new Float64Array(FEATURES.length);
  const spans = new Map<string, TextSpan[]>();
  const counts: Record<string, number> = {};
  const put = (factor: string, s: TextSpan[]) => {
    if (s.length) spans.set(factor, [...(spans.get(factor) ?? []), ...s].slice(0, MAX_SPANS));
  };
  const nTok = Math.max(doc.tokens.count, 1);
  const per100 = (c: number) => (c * 100) / nTok;
  const h = doc.meta.headline;
  const bodyStart = h ? h.end : 0;

  // Style.
  const caps: TextSpan[] = [];
  const nCaps = collect(
    CAPS,
    text,
    0,
    (w) => !ACRONYM_OK.has(w.replace(/['’].*$/, "")) && /[AEIOU]/.test(w),
    caps,
    MAX_SPANS,
  );
  counts.caps = nCaps;
  values[1] = Math.log1p(per100(nCaps));
  put("all-caps", caps);

  const excl: TextSpan[] = [];
  let nEx = 0;
  for (let i = text.indexOf("!"); i >= 0; i = text.indexOf("!", i + 1)) {
    nEx++;
    if (excl.length < MAX_SPANS) {
      const s = doc.sentences[doc.sentenceAt(i)];
      excl.push(s && s.start <= i && i < s.end ? span(doc, s.start, s.end) : span(doc, i, i + 1));
    }
  }
  counts.exclaim = nEx;
  values[2] = Math.log1p(per100(nEx));
  put("exclamation", dedupe(excl));

  // One pass over the tokens for the word lists.
  const sens: TextSpan[] = [];
  const you: TextSpan[] = [];
  const anon: TextSpan[] = [];
  const qs: TextSpan[] = [];
  let nSens = 0;
  let nYou = 0;
  let nAnon = 0;
  let nSaid = 0;
  const norm = doc.tokens.norm;
  const ts = doc.tokens.start;
  const te = doc.tokens.end;
  const nT = doc.tokens.count;
  const add = (out: TextSpan[], i: number, j = i) => {
    if (out.length < MAX_SPANS) out.push(span(doc, ts[i]!, te[j]!));
  };
  for (let i = 0; i < nT; i++) {
    const t = norm[i]!;
    const next = i + 1 < nT ? norm[i + 1]! : "";
    if (SENSATIONAL.has(t)) {
      nSens++;
      add(sens, i);
    } else if (SENSATIONAL_PAIRS.get(t)?.has(next)) {
      nSens++;
      add(sens, i, i + 1);
    }
    if (YOU_WORDS.has(t)) {
      nYou++;
      add(you, i);
    }
    if (ANON_WORDS.has(t)) {
      nAnon++;
      add(anon, i);
    } else if (
      (ANON_DET.has(t) && ANON_WHO.has(next)) ||
      ((t === "sources" || t === "source") && ANON_VERB.has(next))
    ) {
      nAnon++;
      add(anon, i, i + 1);
    }
    if (ts[i]! >= bodyStart) {
      if (SAID_WORDS.has(t)) {
        nSaid++;
        add(qs, i);
      } else if (t === "according" && next === "to") {
        nSaid++;
        add(qs, i, i + 1);
      }
    }
  }
  counts.sensational = nSens;
  values[3] = Math.log1p(per100(nSens) * 4);
  put("sensational-words", sens);

  if (h) {
    const head = text.slice(h.start, h.end);
    const hs: TextSpan[] = [];
    const nClick = collect(HEAD_CLICK, head, h.start, () => true, hs);
    const hCaps = collect(CAPS, head, h.start, (w) => !ACRONYM_OK.has(w) && /[AEIOU]/.test(w), hs);
    counts.headline = nClick + 2 * hCaps;
    values[4] = Math.log1p(nClick + 2 * hCaps);
    if (values[4]! > 0) put("headline-style", [span(doc, h.start, h.end)]);
  }

  counts.you = nYou;
  values[5] = Math.log1p(per100(nYou));
  put("reader-address", you);

  counts.anonymous = nAnon;
  values[6] = Math.log1p(per100(nAnon) * 4);
  put("anonymous-sourcing", anon);

  // Detail: quotations, attribution cues, numbers and dates.
  let nQuote = 0;
  for (let i = bodyStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 0x201c || c === 0x201d) nQuote++;
  }
  counts.quotes = Math.floor(nQuote / 2);
  counts.said = nSaid;
  values[7] = Math.log1p(per100(nQuote / 2 + nSaid));
  put("quotes-and-attribution", qs);

  const qty = doc.layers.quantities.filter((q) => q.start >= bodyStart);
  counts.numbers = qty.length;
  values[8] = Math.log1p(per100(qty.length));
  put(
    "specific-details",
    qty.slice(0, MAX_SPANS).map((q) => span(doc, q.start, q.end)),
  );

  // Claims (attribution layer).
  const claims = doc.layers.claims ?? [];
  if (claims.length) {
    const un = claims.filter((c) => c.kind === "unattributed");
    const unsup = claims.filter(
      (c) => c.evidence.status === "unsupported" || c.evidence.status === "none-stated",
    );
    const framed = claims.filter(
      (c) => c.cue && (c.cue.framing === "distancing" || c.cue.framing === "loaded"),
    );
    const cited = claims.filter((c) => c.evidence.status === "cited");
    counts.claims = claims.length;
    counts.unattributed = un.length;
    counts.unsupported = unsup.length;
    counts.framed = framed.length;
    counts.cited = cited.length;
    values[9] = un.length / claims.length;
    values[10] = unsup.length / claims.length;
    values[11] = Math.log1p(framed.length);
    values[12] = Math.log1p(cited.length);
    put(
      "unattributed-assertions",
      un.map((c) => contentSpan(c.content)),
    );
    put(
      "unsupported-claims",
      unsup.map((c) => contentSpan(c.content)),
    );
    put(
      "cue-framing",
      framed.map((c) => ({ start: c.cue!.start, end: c.cue!.end, text: c.cue!.text })),
    );
    put(
      "cited-evidence",
      cited.flatMap((c) => c.evidence.markers.map((m) => ({ start: m.start, end: m.end, text: m.text }))),
    );
  }

  // Persuasion techniques.
  const tech = doc.layers.techniques ?? [];
  if (tech.length) {
    counts.techniques = tech.length;
    values[13] = Math.log1p((tech.length * 10) / Math.max(doc.sentences.length, 1));
    put(
      "persuasion-techniques",
      [...tech]
        .sort((a, b) => b.confidence - a.confidence)
        .map((t) => ({ start: t.start, end: t.end, text: t.text })),
    );
  }

  // Headline–body stance.
  const st = doc.layers.stance;
  if (st && h) {
    values[14] = st.scores.unrelated ?? 0;
    values[15] = st.scores.disagree ?? 0;
    values[16] = st.scores.agree ?? 0;
    put("headline-body-stance", [span(doc, h.start, h.end)]);
  }

  // Fact-checks rated false-ish.
  const fc = doc.layers.factChecks;
  if (fc && claims.length) {
    const hits: TextSpan[] = [];
    let n = 0;
    for (const c of claims) {
      const matches = fc[c.id] ?? [];
      if (matches.some((m) => isFalseRating(m.rating))) {
        n++;
        hits.push(contentSpan(c.content));
      }
    }
    counts.factchecks = n;
    values[17] = Math.log1p(n);
    put("fact-checks", hits);
  }
  return { values, spans, counts };
}

function contentSpan(c: { start: number; end: number; text: string }): TextSpan {
  return { start: c.start, end: c.end, text: c.text };
}

function dedupe(s: TextSpan[]): TextSpan[] {
  const seen = new Set<string>();
  return s.filter((x) => {
    const k = x.start + ":" + x.end;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
