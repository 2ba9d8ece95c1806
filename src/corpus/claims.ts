// Claims across sources, within one story: claims that say the same thing are grouped (same or
// aliased speaker with similar content, or the same content carried by several outlets), each
// article's relation to each group is named (makes / repeats / supports / disputes), and pairs of
// groups that contradict each other are found (negation, antonymous predicates, an explicit
// contrast with the other account, a denial of the other's event, or the claim–article stance model).
import { contentWords, stem, wordsOf } from "./text.js";

export interface ClaimRecord {
  /** Claim row id. */
  id: number;
  articleId: number;
  published: string | null;
  /** Canonical speaker name, null when unattributed. */
  speaker: string | null;
  speakerType: string | null;
  text: string;
}

export type Relation = "makes" | "repeats" | "supports" | "disputes";

export interface ClaimGroup {
  /** Index in `groups`. */
  index: number;
  text: string;
  speakers: string[];
  first: string | null;
  members: { claim: ClaimRecord; relation: Relation }[];
  /** One entry per article and relation, in order of first appearance. */
  sources: { articleId: number; relation: Relation; claimId: number | null }[];
}

export interface Dispute {
  a: number;
  b: number;
  reason: string;
  score: number;
}

export interface ArticleText {
  id: number;
  title: string;
  body: string;
}

/** The claim–article stance model: label of an article towards a claim. */
export type StanceFn = (claim: string, article: { title: string; body: string }) => string | null;

export interface GroupOptions {
  /** Same (aliased) speaker: minimum content similarity to group. */
  sameSpeaker?: number;
  /** Any speakers: minimum content similarity to group (the same content reported by several outlets). */
  anySpeaker?: number;
  stance?: StanceFn;
  articles?: ArticleText[];
  /** Upper bound on stance-model calls per story. */
  maxStanceCalls?: number;
}

// ---- speakers ---------------------------------------------------------------------------------

const TITLES =
  /\b(?:mr|mrs|ms|dr|president|prime|minister|foreign|secretary|spokesman|spokeswoman|spokesperson|senator|sen|rep|gov|governor|general|gen|chancellor|king|queen|prince|leader|chief|the|of|state|russian|syrian|us|u\.s\.|american|former|vice|deputy)\b\.?/g;

const METONYMS: Record<string, string> = {
  "united states": "us",
  usa: "us",
  "u.s.": "us",
  "u.s": "us",
  america: "us",
  washington: "us",
  "white house": "us",
  "the us": "us",
  "the united states": "us",
  "us government": "us",
  "trump administration": "us",
  russia: "russia",
  moscow: "russia",
  kremlin: "russia",
  "the kremlin": "russia",
  "russian federation": "russia",
  syria: "syria",
  damascus: "syria",
  "syrian government": "syria",
  "united kingdom": "uk",
  britain: "uk",
  london: "uk",
  "u.k.": "uk",
};

const keyCache = new Map<string, string[]>();

/** A comparable key for a speaker name ("Vladimir Putin" -> ["vladimir","putin"]). */
export function speakerKey(name: string): string[] {
  let k = keyCache.get(name);
  if (!k) {
    if (keyCache.size > 50_000) keyCache.clear();
    k = computeSpeakerKey(name);
    keyCache.set(name, k);
  }
  return k;
}

function computeSpeakerKey(name: string): string[] {
  const lower = name
    .toLowerCase()
    .replace(/[’']s\b/g, "")
    .trim();
  const m = METONYMS[lower];
  if (m) return [m];
  const toks = lower.replace(TITLES, " ").match(/[\p{L}\p{N}]+/gu) ?? [];
  return toks.length ? toks : (lower.match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Same or aliased speaker: equal keys, or one name's words contained in the other's ("Putin" / "Vladimir Putin"). */
export function sameSpeaker(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const ka = speakerKey(a);
  const kb = speakerKey(b);
  if (ka.length === 0 || kb.length === 0) return false;
  const [small, big] = ka.length <= kb.length ? [ka, kb] : [kb, ka];
  return small.every((t) => big.includes(t));
}

// ---- content ----------------------------------------------------------------------------------

const SYNONYMS = new Map<string, string>([
  ["hit", "strike"],
  ["bomb", "strike"],
  ["airstrike", "strike"],
  ["stash", "store"],
  ["stockpile", "store"],
  ["fabricat", "fake"],
  ["fabricate", "fake"],
  ["fabricated", "fake"],
  ["hoax", "fake"],
  ["kill", "die"],
]);

function bag(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of contentWords(text)) out.add(SYNONYMS.get(w) ?? w);
  return out;
}

const bagCache = new WeakMap<ClaimRecord, Set<string>>();

/** The content-word bag of a claim, computed once per record. */
function claimBag(c: ClaimRecord): Set<string> {
  let b = bagCache.get(c);
  if (!b) {
    b = bag(c.text);
    bagCache.set(c, b);
  }
  return b;
}

function overlap(a: Set<string>, b: Set<string>): { shared: string[]; sim: number } {
  const shared: string[] = [];
  for (const w of a) if (b.has(w)) shared.push(w);
  const sim = a.size && b.size ? shared.length / Math.sqrt(a.size * b.size) : 0;
  return { shared, sim };
}

const NEGATOR =
  /^(?:not|no|never|nothing|none|neither|nor|without|cannot|deny|denies|denied|n't|didn't|doesn't|don't|isn't|wasn't|weren't|aren't|won't|hasn't|haven't|hadn't)$/;

/** Content words that a negator governs (the next three content words after it). */
function negatedWords(text: string): Set<string> {
  const toks = text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    if (!NEGATOR.test(toks[i]!.replace("’", "'"))) continue;
    let k = 0;
    for (let j = i + 1; j < toks.length && k < 3; j++) {
      if (NEGATOR.test(toks[j]!.replace("’", "'"))) continue;
      for (const w of bag(toks[j]!)) {
        out.add(w);
        k++;
      }
    }
  }
  return out;
}

/** Whether exactly one of two texts carries a negator. */
function polarityDiffers(a: string, b: string): boolean {
  const neg = (t: string) => /\b(?:not|no|never|n't|without|deny|denies|denied)\b|n't\b/i.test(t);
  return neg(a) !== neg(b);
}

const ANTONYMS: [RegExp, RegExp, string][] = [
  [
    /\b(?:staged|fake[ds]?|faked|fabricated|hoax|false flag|orchestrated|invented|made up)\b/i,
    /\b(?:real|genuine|authentic|actual(?:ly)? happened|took place)\b/i,
    "staged vs real",
  ],
  [/\bguilty\b/i, /\binnocent\b/i, "guilty vs innocent"],
  [/\btrue\b/i, /\b(?:false|untrue)\b/i, "true vs false"],
  [
    /\b(?:increase[sd]?|rise[sn]?|rose|grew|grow(?:s|n)?)\b/i,
    /\b(?:decrease[sd]?|fell|fall(?:s|en)?|decline[sd]?|dropp?(?:ed|s)?)\b/i,
    "rise vs fall",
  ],
  [/\b(?:won|wins?|winning)\b/i, /\b(?:lost|lose[s]?|losing)\b/i, "win vs lose"],
  [/\b(?:legal|lawful)\b/i, /\b(?:illegal|unlawful)\b/i, "legal vs illegal"],
  [/\b(?:confirm(?:s|ed)?)\b/i, /\b(?:den(?:y|ies|ied))\b/i, "confirm vs deny"],
  [/\b(?:accept(?:s|ed)?)\b/i, /\b(?:reject(?:s|ed)?)\b/i, "accept vs reject"],
  [/\b(?:alive)\b/i, /\b(?:dead|died)\b/i, "alive vs dead"],
  [
    /\b(?:married|engaged|together)\b/i,
    /\b(?:divorc(?:ed|ing)|split|broke up|separated)\b/i,
    "together vs split",
  ],
];

/** "as opposed to X", "rather than X", "instead of X", "contrary to X": X is what the other account says. */
const CONTRAST =
  /\b(?:as opposed to|rather than|instead of|contrary to)\s+((?:[\p{L}\p{N}'’-]+[\s,]*){1,8})/giu;
/** Markers that call an event staged or fake: the denied event is named just before them. */
const STAGED =
  /\b(?:was|were|is|are|been|be)?\s*(?:staged|faked?|fabricated|a hoax|orchestrated|a false flag|made up)\b/i;
/** Markers that deny the proof of a proposition: the proposition follows them. */
const UNPROVEN =
  /\b(?:no (?:proof|evidence)|fail(?:ed|s)? to (?:present|provide|offer|show) (?:any )?(?:proof|evidence)|without (?:any )?(?:proof|evidence)|not true that|false that)\s+(?:that\s+)?((?:[\p{L}\p{N}'’-]+[\s,]*){1,12})/iu;
/** An account that itself offers an alternative is not the plain assertion a denial contradicts. */
const ALTERNATIVE =
  /\b(?:staged|fake[ds]?|faked|fabricated|hoax|false flag|orchestrated|actually|in fact|really|provocation|pin the blame|blame (?:it )?on|frame[ds]?)\b/i;

/** Words that make a noun another event than the one a denial names: "further attacks", "more attacks to come". */
const ANOTHER = new Set([
  "more",
  "further",
  "future",
  "new",
  "other",
  "another",
  "next",
  "similar",
  "subsequent",
]);
/** Where the denied proposition's predicate starts ("Assad's forces | were behind the attack"). */
const PREDICATE = /\b(?:was|were|is|are|has|have|had|did|will|would)\b/i;

/**
 * Content words (stemmed, as in `bag`) that the text uses only for other events than one already known:
 * every use follows "more / further / another …" within two words or an infinitive "to", or precedes "to come".
 */
function otherEventWords(text: string): Set<string> {
  const toks = wordsOf(text);
  const other = new Map<string, boolean>();
  for (let i = 0; i < toks.length; i++) {
    const w = SYNONYMS.get(stem(toks[i]!)) ?? stem(toks[i]!);
    // "preparing to attack": an infinitive names an act yet to happen, not the reported event.
    const marked =
      toks[i - 1] === "to" ||
      ANOTHER.has(toks[i - 1] ?? "") ||
      ANOTHER.has(toks[i - 2] ?? "") ||
      (toks[i + 1] === "to" && toks[i + 2] === "come");
    other.set(w, (other.get(w) ?? true) && marked);
  }
  return new Set([...other].filter(([, m]) => m).map(([w]) => w));
}

function snippet(s: string, n = 90): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
}

function who(c: ClaimRecord): string {
  return c.speaker ?? "an unattributed claim";
}

function lastWords(text: string, n: number): string {
  const toks = text.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  return toks.slice(-n).join(" ");
}

/** Why claim b contradicts claim a, if it does. */
export function contradiction(a: ClaimRecord, b: ClaimRecord): { reason: string; score: number } | null {
  if (a.id === b.id) return null;
  if (sameSpeaker(a.speaker, b.speaker)) return null;
  const ba = claimBag(a);
  const bb = claimBag(b);
  const { shared, sim } = overlap(ba, bb);
  if (shared.length < 2) return null;
  const pairs = [
    [a, b, ba, bb],
    [b, a, bb, ba],
  ] as const;
  // 1. One account explicitly sets itself against what the other asserts ("… as opposed to hitting a building").
  for (const [x, y, bx] of pairs) {
    CONTRAST.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CONTRAST.exec(y.text))) {
      const tail = bag(m[1]!);
      const hit = [...tail].filter((w) => bx.has(w));
      if (hit.length >= 2 || (hit.length === 1 && tail.size === 1)) {
        return {
          reason:
            `incompatible accounts of one event: ${who(x)} says "${snippet(x.text)}"; ${who(y)} says ` +
            `"${snippet(y.text)}" (${m[0].trim().replace(/\s+/g, " ")}); shared: ${hit.join(", ")}`,
          score: 0.6 + 0.1 * Math.min(4, hit.length),
        };
      }
    }
  }
  // 2. Same content, opposite polarity: one account negates a predicate the other asserts.
  if (sim >= 0.45 && shared.length >= 3) {
    for (const [x, y, bx] of pairs) {
      const neg = negatedWords(y.text);
      const negShared = [...neg].filter((w) => bx.has(w) && !negatedWords(x.text).has(w));
      if (negShared.length > 0) {
        return {
          reason: `negation: ${who(x)} says "${snippet(x.text)}"; ${who(y)} says "${snippet(y.text)}" (negates: ${negShared.join(", ")})`,
          score: 0.5 + sim / 2,
        };
      }
    }
  }
  // 3. Antonymous predicates over the same content.
  if (sim >= 0.3 && shared.length >= 2) {
    for (const [p, q, name] of ANTONYMS) {
      const ab = p.test(a.text) && !p.test(b.text) && q.test(b.text) && !q.test(a.text);
      const ba2 = p.test(b.text) && !p.test(a.text) && q.test(a.text) && !q.test(b.text);
      if (ab || ba2) {
        return {
          reason: `antonymous predicates (${name}): ${who(a)} says "${snippet(a.text)}"; ${who(b)} says "${snippet(b.text)}"`,
          score: 0.45 + sim / 2,
        };
      }
    }
  }
  // 4. A denial: one account calls the event the other reports staged, or says the other's proposition is unproven.
  for (const [x, y, bx] of pairs) {
    if (ALTERNATIVE.test(x.text) || UNPROVEN.test(x.text)) continue;
    const staged = STAGED.exec(y.text);
    let denied: string | null = null;
    if (staged) denied = lastWords(y.text.slice(0, staged.index), 8);
    const unproven = UNPROVEN.exec(y.text);
    if (!denied && unproven) denied = unproven[1]!;
    if (!denied) continue;
    const deniedBag = [...bag(denied)];
    // "more coordinated attacks to come", "further attacks": the other account speaks of other events.
    const other = otherEventWords(x.text);
    const hit = deniedBag.filter((w) => bx.has(w) && !other.has(w));
    // "X was staged": the other account must name the same event (X's head word) and one more detail.
    const headOk = !staged || (deniedBag.length > 0 && hit.includes(deniedBag[deniedBag.length - 1]!));
    // "no proof that X were behind Y": the other account must assert the predicate (Y), not only mention X.
    const pred = !staged ? PREDICATE.exec(denied) : null;
    const predOk = !pred || [...bag(denied.slice(pred.index))].some((w) => hit.includes(w));
    if (hit.length >= 2 && headOk && predOk) {
      return {
        reason:
          `denial: ${who(y)} says "${snippet(y.text)}" (${(staged ?? unproven)![0].trim()}) — ` +
          `${who(x)} says "${snippet(x.text)}"; shared: ${hit.join(", ")}`,
        score: 0.4 + Math.min(0.3, sim),
      };
    }
  }
  return null;
}

// ---- grouping ---------------------------------------------------------------------------------

const RANK: Record<Relation, number> = { makes: 0, repeats: 1, supports: 2, disputes: 3 };

/** Groups a story's claims and finds the disputes between groups. Deterministic for a given input. */
export function groupClaims(
  claims: ClaimRecord[],
  opts: GroupOptions = {},
): { groups: ClaimGroup[]; disputes: Dispute[] } {
  const tSame = opts.sameSpeaker ?? 0.45;
  const tAny = opts.anySpeaker ?? 0.65;
  const ordered = [...claims].sort(
    (x, y) => cmp(x.published ?? "9999", y.published ?? "9999") || x.articleId - y.articleId || x.id - y.id,
  );
  const groups: ClaimGroup[] = [];
  const bags: Set<string>[][] = [];
  for (const c of ordered) {
    const b = claimBag(c);
    if (b.size === 0) continue;
    let best = -1;
    let bestSim = 0;
    for (let g = 0; g < groups.length; g++) {
      const origin = groups[g]!.members[0]!.claim;
      const same = sameSpeaker(origin.speaker, c.speaker) || (origin.speaker === null && c.speaker === null);
      const members = bags[g]!;
      let sim = 0;
      for (let k = 0; k < members.length && k < 20; k++) sim = Math.max(sim, overlap(members[k]!, b).sim);
      if ((same && sim >= tSame) || sim >= tAny) {
        // Similar words with opposite polarity are a dispute, not the same claim.
        if (sim > bestSim && !contradiction(origin, c) && !polarityDiffers(origin.text, c.text)) {
          bestSim = sim;
          best = g;
        }
      }
    }
    if (best < 0) {
      groups.push({
        index: groups.length,
        text: c.text,
        speakers: c.speaker ? [c.speaker] : [],
        first: c.published,
        members: [{ claim: c, relation: "makes" }],
        sources: [],
      });
      bags.push([b]);
      continue;
    }
    const g = groups[best]!;
    const origin = g.members[0]!.claim;
    const relation: Relation =
      sameSpeaker(origin.speaker, c.speaker) || g.members.some((m) => m.claim.articleId === c.articleId)
        ? "repeats"
        : "supports";
    g.members.push({ claim: c, relation });
    bags[best]!.push(b);
    if (c.speaker && !g.speakers.some((s) => sameSpeaker(s, c.speaker))) g.speakers.push(c.speaker);
  }

  // Disputes between groups: the first contradicting member pair decides.
  const disputes: Dispute[] = [];
  const unionBags = bags.map((list) => {
    const u = new Set<string>();
    for (const b of list.slice(0, 6)) for (const w of b) u.add(w);
    return u;
  });
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      // Cheap prefilter: the groups' words must meet at least twice.
      if (overlap(unionBags[i]!, unionBags[j]!).shared.length < 2) continue;
      let found: { reason: string; score: number } | null = null;
      outer: for (const ma of groups[i]!.members.slice(0, 6)) {
        for (const mb of groups[j]!.members.slice(0, 6)) {
          found = contradiction(ma.claim, mb.claim);
          if (found) break outer;
        }
      }
      if (found)
        disputes.push({ a: i, b: j, reason: found.reason, score: Math.round(found.score * 1000) / 1000 });
    }
  }

  // Sources: each article's strongest relation to each group, plus articles carrying a disputing claim.
  for (const g of groups) {
    const seen = new Map<number, Relation>();
    const add = (articleId: number, relation: Relation, claimId: number | null) => {
      const prev = seen.get(articleId);
      if (
        prev !== undefined &&
        (relation === "disputes") === (prev === "disputes") &&
        RANK[prev] <= RANK[relation]
      )
        return;
      if (prev !== undefined && (relation === "disputes") === (prev === "disputes")) {
        const k = g.sources.findIndex((s) => s.articleId === articleId && s.relation === prev);
        g.sources.splice(k, 1);
      }
      seen.set(articleId, relation);
      g.sources.push({ articleId, relation, claimId });
    };
    for (const m of g.members) add(m.claim.articleId, m.relation, m.claim.id);
  }
  for (const d of disputes) {
    for (const [x, y] of [
      [d.a, d.b],
      [d.b, d.a],
    ] as const) {
      const gx = groups[x]!;
      for (const m of groups[y]!.members) {
        if (!gx.sources.some((s) => s.articleId === m.claim.articleId && s.relation === "disputes")) {
          gx.sources.push({ articleId: m.claim.articleId, relation: "disputes", claimId: m.claim.id });
        }
      }
    }
  }

  // The stance model: articles of the story that carry no claim of a group, read against it.
  if (opts.stance && opts.articles && opts.articles.length > 1) {
    const groupBags = unionBags;
    let budget = opts.maxStanceCalls ?? 200;
    for (const g of groups) {
      for (const a of opts.articles) {
        if (budget <= 0) break;
        if (g.sources.some((s) => s.articleId === a.id)) continue;
        // Only headlines about the claim's subject: two shared content words at least.
        if (overlap(bag(a.title), groupBags[g.index]!).shared.length < 2) continue;
        budget--;
        const label = opts.stance(g.text, { title: a.title, body: a.body });
        if (label === "agree") g.sources.push({ articleId: a.id, relation: "supports", claimId: null });
        else if (label === "disagree")
          g.sources.push({ articleId: a.id, relation: "disputes", claimId: null });
      }
    }
  }
  return { groups, disputes };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exposed for tests: the words two claims share after stemming and synonyms. */
export function sharedWords(a: string, b: string): string[] {
  return overlap(bag(a), bag(b)).shared;
}
