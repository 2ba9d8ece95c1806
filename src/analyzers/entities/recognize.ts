// Entity recognition over a Doc's token table: proper-noun chunks, titles and descriptors, typing
// from closed lists and the derived gazetteer, and within-document aliasing.
//
//   1. chunk   capitalised runs (PROPN/NOUN/ADJ; capitalised verbs mid-sentence) joined by "of" (after
//              a role/ORG head), name particles ("al", "bin", "van"), glued hyphens and "&"; possessive
//              "'s" split off; sentence-initial and title-case (headline) words must be known or not
//              common lower-case words; days, months, units and party-state tags are not entities.
//   2. title   a chunk's title ("US Secretary of State", "Italian President", "Mr.", "Wells Fargo CEO")
//              is split from the name when a real name follows; its GPE/NORP words stay mentions.
//   3. type    closed lists (GPE/NORP/LOC/ORG) > honorific/title > EVENT/place heads > gazetteer
//              persons > ORG heads and derived ORG cues > first names > derived GPE cues > acronyms
//              > surnames > unknown two-word names (PERSON) > MISC.
//   4. alias   people by first+last name key; single last names (and "Mr. X") to the most mentioned
//              person with that last name; lone first names to the one person who has it; acronyms
//              to their spelled-out ORG; country variants to one GPE; "the Association" to the one
//              organisation ending so.
//   5. describe descriptors ("Kremlin's spokesman", "the Russian leader", "America's top diplomat"):
//              title + name, apposition, copula; then role inference (same role class with country
//              agreement, else same head word; party agreement) or, for a subject descriptor naming
//              a country, the subject of the previous two sentences. Predicates ("will be the
//              king"), generic ("the next president") and possessor descriptors are left alone.
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Entity, EntityType } from "../../schema/analysis.js";
import type { Gazetteer } from "./derive.js";
import { titleCaseSentence } from "./lookup.js";
import {
  CAPS_ONLY,
  DAYS_MONTHS,
  DEMONYM_COUNTRY,
  EVENT_HEADS,
  HONORIFICS,
  KNOWN,
  KNOWN_FIRST,
  NAME_PARTICLES,
  NAME_SUFFIXES,
  NEVER_NAME,
  ORG_SUFFIXES,
  ROLE_HEADS,
  ROLE_MODIFIERS,
  roleClass,
  titleCase,
  type Known,
} from "./lexicon.js";

/** The gazetteer as lookup sets. */
export interface GazIndex {
  firstNames: Set<string>;
  surnames: Set<string>;
  persons: Set<string>;
  famous: Set<string>;
  orgs: Set<string>;
  gpes: Set<string>;
  roleHeads: Set<string>;
  common: Set<string>;
  proper: Set<string>;
  /** First names the texts refer back to as "she" / "he" (empty for gazetteers without them). */
  female: Set<string>;
  male: Set<string>;
}

export function indexGazetteer(g: Gazetteer): GazIndex {
  return {
    firstNames: new Set(g.firstNames),
    surnames: new Set(g.surnames),
    persons: new Set(g.persons),
    famous: new Set(g.famous ?? []),
    orgs: new Set(g.orgs),
    gpes: new Set(g.gpes),
    roleHeads: new Set(g.roleHeads),
    common: new Set(g.common),
    proper: new Set(g.proper),
    female: new Set(g.female ?? []),
    male: new Set(g.male ?? []),
  };
}

/** Head words of place names: "Lake Michigan" is LOC, "Wayne County" GPE, "Argyle Airport" a facility (LOC). */
const PLACE_HEADS = new Map<string, EntityType>([
  ...[
    "county",
    "province",
    "city",
    "region",
    "district",
    "prefecture",
    "governorate",
    "oblast",
    "borough",
    "township",
    "village",
  ].map((w) => [w, "GPE"] as [string, EntityType]),
  ...[
    "lawn",
    "garden",
    "gardens",
    "airport",
    "station",
    "bridge",
    "square",
    "street",
    "avenue",
    "road",
    "highway",
    "park",
    "stadium",
    "arena",
    "hotel",
    "prison",
    "base",
    "river",
    "lake",
    "mountain",
    "mountains",
    "island",
    "islands",
    "valley",
    "bay",
    "sea",
    "ocean",
    "coast",
    "desert",
    "peninsula",
    "canal",
    "airfield",
    "harbor",
    "harbour",
    "port",
    "tower",
    "palace",
    "hall",
    "cathedral",
    "mosque",
    "temple",
    "building",
    "plaza",
    "mall",
    "beach",
    "heights",
    "strait",
    "gulf",
  ].map((w) => [w, "LOC"] as [string, EntityType]),
]);

/** Abbreviated titles that state a role ("Sen. Ted Cruz" is a senator). */
const HONORIFIC_ROLE: Record<string, string> = {
  "sen.": "senator",
  "gov.": "governor",
  "rep.": "representative",
  "gen.": "general",
  "pres.": "president",
  "adm.": "admiral",
  "col.": "colonel",
};

const PARTIES = new Set([
  "democratic",
  "republican",
  "libertarian",
  "green",
  "conservative",
  "labour",
  "liberal",
]);
const GENERIC_MODS = new Set([
  "next",
  "future",
  "first",
  "would-be",
  "potential",
  "eventual",
  "any",
  "every",
]);
const BE_FORMS = new Set([
  "be",
  "is",
  "was",
  "are",
  "were",
  "been",
  "being",
  "'s",
  "become",
  "became",
  "remains",
  "remained",
]);

/** Heads of names of works, awards and laws (MISC): "Academy Award", "Federal Records Act". */
const MISC_HEADS = new Set([
  "award",
  "awards",
  "prize",
  "medal",
  "act",
  "bill",
  "amendment",
  "trophy",
  "album",
  "show",
  "film",
  "movie",
  "series",
  "book",
  "novel",
  "song",
  "doctrine",
  "plan",
  "rule",
  "law",
  "program",
  "programme",
]);

/** Capitalised abbreviations that are not names: time zones, units, media, titles. */
const NOT_ENTITY_ACRONYMS = new Set([
  "tv",
  "et",
  "pt",
  "est",
  "edt",
  "pst",
  "pdt",
  "cst",
  "cdt",
  "gmt",
  "utc",
  "bst",
  "cet",
  "am",
  "pm",
  "a.m.",
  "p.m.",
  "ok",
  "usd",
  "eur",
  "gbp",
  "ceo",
  "cfo",
  "coo",
  "cto",
  "pda",
  "lol",
  "omg",
  "diy",
  "faq",
  "pdf",
  "url",
  "gif",
  "jpg",
  "mph",
  "kph",
  "km",
  "kg",
  "mg",
  "ml",
  "ft",
  "lb",
  "lbs",
  "oz",
  "dj",
  "mc",
  "vip",
  "rip",
  "aka",
  "asap",
  "etc",
  "ps",
  "pr",
  "q&a",
  "tbt",
  "wtf",
]);

/** First words of place names: "St. Lawrence", "Lake Ontario", "Mount Sinai", "Fort Worth". */
const PLACE_PREFIX = new Set([
  "st.",
  "st",
  "saint",
  "lake",
  "mount",
  "mt.",
  "fort",
  "ft.",
  "cape",
  "port",
  "san",
  "santa",
  "los",
  "las",
]);

/** Party-state tags after US politicians' names: "R-Texas", "D-N.Y.". */
const PARTY_STATE = /^[rdi]-[a-z.]+$/;

const P_PROPN = POS.PROPN;
const P_NOUN = POS.NOUN;
const P_ADJ = POS.ADJ;
const P_X = POS.X;
const P_NUM = POS.NUM;
const P_PUNCT = POS.PUNCT;
const P_VERB = POS.VERB;
const P_AUX = POS.AUX;
const P_DET = POS.DET;

const UPPER = /^\p{Lu}/u;
const ALL_CAPS = /^[\p{Lu}\d.&-]+$/u;
/** AP-style abbreviations of US states, as in "Saginaw, Mich." and datelines ("FRESNO, Calif. —"). */
const STATE_ABBR = new Set(
  (
    "ala. ariz. ark. calif. colo. conn. del. fla. ga. ill. ind. kan. kans. ky. la. md. mass. mich. minn. miss. " +
    "mo. mont. neb. nev. n.h. n.j. n.m. n.y. n.c. n.d. okla. ore. pa. r.i. s.c. s.d. tenn. tex. vt. va. wash. " +
    "w.va. wis. wyo. d.c."
  ).split(" "),
);
const LOWER = /\p{Ll}/u;
const STRONG_ROLE_CLASSES = new Set([
  "diplomat",
  "leader",
  "spokesperson",
  "defense",
  "vice",
  "justice",
  "finance",
  "interior",
  "ambassador",
]);
const SPEECH_VERBS = new Set([
  "said",
  "says",
  "told",
  "tells",
  "added",
  "claimed",
  "claims",
  "argued",
  "insisted",
  "stated",
  "wrote",
  "asked",
  "warned",
  "noted",
  "explained",
  "announced",
  "denied",
  "confirmed",
  "replied",
  "tweeted",
]);
const COPULA = new Set(["is", "was", "'s", "has been", "became", "remains"]);

interface Mention {
  /** Token range [a, b). */
  a: number;
  b: number;
  start: number;
  end: number;
  type: EntityType;
  /** Lower-cased name tokens without honorifics, particles or punctuation (people). */
  nameToks: string[];
  /** Canonical display name for this mention. */
  display: string;
  known?: Known;
  honorific: boolean;
  titled: boolean;
  /** Surface form used as an alias (may include a possessor, e.g. "Russia's Vladimir Putin"). */
  alias: string;
  country: string;
  cluster: number;
}

interface Cluster {
  type: EntityType;
  mentions: { start: number; end: number }[];
  aliases: string[];
  names: string[];
  nameToks: string[][];
  roles: string[];
  roleClasses: Set<string>;
  /** Head words of the roles ("mayor", "spokesman"). */
  roleHeads: Set<string>;
  /** Parties named in its roles ("Republican nominee"), for agreement. */
  parties: Set<string>;
  countries: Set<string>;
  first: number;
}

interface Descriptor {
  a: number;
  b: number;
  start: number;
  end: number;
  text: string;
  cls: string;
  /** Last word of the role ("minister"). */
  head: string;
  country: string;
  /** "democratic", "republican" … when the descriptor names a party. */
  party: string;
  /** After a copula ("will always be the king"): a predicate, not a reference. */
  predicate: boolean;
  /** "the next president", "the first black senator": not a reference to someone in the text. */
  generic: boolean;
  /** Possessor is a person ("Putin's spokesman"): never the person it describes. */
  personPossessor: boolean;
  definite: boolean;
  strong: boolean;
}

const NEEDS_NORM = /[’‘`“”\n\t]|\s\s|^\s|\s$/;

export function normSurface(s: string): string {
  if (!NEEDS_NORM.test(s)) return s;
  return s.replace(/[’‘`]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ").trim();
}

export function recognize(doc: Doc, gz: GazIndex): Entity[] {
  const T = doc.tokens;
  const n = T.count;
  const text = doc.text;
  if (n === 0) return [];
  const norm = T.norm;
  const pos = T.pos;

  // ---- per-token orthography and sentence context ------------------------------------------------
  const cap = new Uint8Array(n);
  const initial = new Uint8Array(n);
  const titleSent = new Uint8Array(doc.sentences.length);
  /** Token has a lower-case letter; token is written in capitals ("US", "G7", "ISIS", "U.S."). */
  const lowerIn = new Uint8Array(n);
  const allCaps = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = T.start[i]!;
    const e = T.end[i]!;
    const s = text.charCodeAt(a);
    cap[i] = s >= 65 && s <= 90 ? 1 : s < 128 ? 0 : UPPER.test(text[a]!) ? 1 : 0;
    if (!cap[i]) {
      lowerIn[i] = 1;
      continue;
    }
    let lo = 0;
    for (let k = a + 1; k < e; k++) {
      const c = text.charCodeAt(k);
      if ((c >= 97 && c <= 122) || (c >= 128 && LOWER.test(text[k]!))) {
        lo = 1;
        break;
      }
    }
    lowerIn[i] = lo;
    allCaps[i] = lo === 0 && e - a >= 2 ? 1 : 0;
  }
  for (let s = 0; s < doc.sentences.length; s++) {
    const S = doc.sentences[s]!;
    let k = S.tokStart;
    // Sentence start, also after an opening quote, bracket or dash.
    while (k < S.tokEnd && pos[k] === P_PUNCT) k++;
    if (k < S.tokEnd) initial[k] = 1;
    for (let i = S.tokStart + 1; i < S.tokEnd; i++) {
      // After an opening quote (glued to the word) or a colon; not after a closing quote ("…,” Zero Hedge said).
      if (
        pos[i - 1] === P_PUNCT &&
        (norm[i - 1] === ":" || ((norm[i - 1] === '"' || norm[i - 1] === "(") && T.end[i - 1] === T.start[i]))
      )
        initial[i] = 1;
    }
    // Headlines and subheads in title case (a body sentence ending in a full stop is running text).
    if (titleCaseSentence(doc, s, (i) => cap[i] === 1)) titleSent[s] = 1;
  }
  // Capitalised words seen mid-sentence in running text: trustworthy names for headline words.
  const confirmed = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!cap[i] || initial[i] || titleSent[T.sentence[i]!] || pos[i] !== P_PROPN) continue;
    const w = stripPoss(norm[i]!);
    if (lowerIn[i] && !gz.common.has(w)) confirmed.add(w);
  }

  const knownAt = (key: string, a: number, b: number): Known | undefined => {
    const k = KNOWN.get(key);
    if (!k) return undefined;
    if (CAPS_ONLY.has(key)) {
      for (let i = a; i < b; i++) if (lowerIn[i] && norm[i] !== "'s") return undefined;
    }
    return k;
  };

  /** A known or name-like word (one function, not a closure per call). */
  const strong = (w: string): boolean =>
    KNOWN.has(w) || gz.firstNames.has(w) || confirmed.has(w) || gz.proper.has(w) || HONORIFICS.has(w);

  /** The first word of a known multi-word name ("New" of "New York", "In" of "In Touch", "Us" of "Us Weekly"). */
  const opensKnown = (i: number, w: string): boolean =>
    KNOWN_FIRST.has(w) &&
    i + 1 < n &&
    (KNOWN.has(w + " " + stripPoss(norm[i + 1]!)) ||
      (i + 2 < n && KNOWN.has(w + " " + norm[i + 1] + " " + stripPoss(norm[i + 2]!))));

  const isNameLike = (i: number): boolean => {
    if (!cap[i]) return false;
    const p = pos[i]!;
    // Whatever wink tags it ("In/ADP Touch", "Us/PRON Weekly"), when capitalised.
    if ((p === POS.ADP || p === POS.PRON) && opensKnown(i, norm[i]!)) return true;
    if (p !== P_PROPN && p !== P_NOUN && p !== P_ADJ && p !== P_X && p !== P_NUM) {
      // Running text: a capitalised verb or adverb mid-sentence is a name ("Eric Garner", "Loretta Lynch").
      if ((p !== P_VERB && p !== POS.ADV) || initial[i] || titleSent[T.sentence[i]!] || !lowerIn[i])
        return false;
      return !NEVER_NAME.has(norm[i]!) && !DAYS_MONTHS.has(norm[i]!);
    }
    const w = stripPoss(norm[i]!);
    const caps = allCaps[i] === 1;
    if (caps && KNOWN.has(w)) return true;
    if (opensKnown(i, w)) return true;
    if (NEVER_NAME.has(w)) return false;
    if (DAYS_MONTHS.has(w)) {
      // "Mrs. May", "Theresa May", "April Ryan"; never "May 5" or "Friday"
      const prev = i > 0 ? norm[i - 1]! : "";
      // "USA Today", "Entertainment Tonight": the end of a known name.
      if (HONORIFICS.has(prev) || gz.firstNames.has(prev) || KNOWN.has(`${prev} ${w}`)) return true;
      const nx = i + 1 < n ? norm[i + 1]! : "";
      return (
        i + 1 < n &&
        cap[i + 1] === 1 &&
        lowerIn[i + 1] === 1 &&
        pos[i + 1] === P_PROPN &&
        !DAYS_MONTHS.has(nx) &&
        gz.surnames.has(nx) &&
        !gz.common.has(nx)
      );
    }
    if (caps && T.end[i]! - T.start[i]! >= 3 && gz.common.has(w)) return false;
    // Known or name-like words ("strong") are only looked up where capitals are unreliable.
    if (titleSent[T.sentence[i]!]) return !gz.common.has(w) || strong(w);
    if (initial[i] && gz.common.has(w) && !strong(w)) {
      // "Foreign Secretary Boris Johnson said", "White House spokesman": the next word continues a name.
      return i + 1 < n && cap[i + 1] === 1 && pos[i + 1] === P_PROPN && T.sentence[i + 1] === T.sentence[i];
    }
    return true;
  };

  const adjacent = (i: number, j: number): boolean => T.end[i] === T.start[j];

  const displayCache = new Map<string, string>();

  // ---- 1. chunks ---------------------------------------------------------------------------------
  const mentions: Mention[] = [];
  /**
   * Names typed by a strong cue in one mention, and the type: PERSON by an age in apposition ("Madonna, now 59,"),
   * GPE before a state ("Saginaw, Mich."). Their bare mentions elsewhere take that type too.
   */
  const cueTyped = new Map<string, EntityType>();
  const inName = new Int32Array(n).fill(-1);
  const like = new Uint8Array(n);
  for (let i = 0; i < n; i++) like[i] = isNameLike(i) ? 1 : 0;

  let i = 0;
  while (i < n) {
    const a = i;
    // "al-Qaeda", "al-Nusra": a particle glued to a capitalised word may open a chunk.
    const particleOpen =
      !like[i] &&
      i + 2 < n &&
      like[i + 2] === 1 &&
      norm[i + 1] === "-" &&
      adjacent(i, i + 1) &&
      NAME_PARTICLES.has(norm[i]!);
    if (!like[i] && !particleOpen) {
      i++;
      continue;
    }
    const sent = T.sentence[i]!;
    let b = (particleOpen ? i + 2 : i) + 1;
    while (b < n && T.sentence[b] === sent) {
      // "White House Correspondents' Association": a plural possessive inside a name
      if (
        norm[b] === "'" &&
        b + 1 < n &&
        like[b + 1] &&
        norm[b - 1]!.endsWith("s") &&
        adjacent(b - 1, b) &&
        like[b - 1]
      ) {
        b++;
        continue;
      }
      if (endsWithPoss(norm[b - 1]!) && norm[b - 1] !== "'") break;
      if (like[b]) {
        b++;
        continue;
      }
      const w = norm[b]!;
      // Hyphen glued on both sides ("Bashar-al Assad", "Jolie-Pitt").
      if ((w === "-" || w === "–") && b + 1 < n && adjacent(b - 1, b) && adjacent(b, b + 1)) {
        if (like[b + 1] || (NAME_PARTICLES.has(norm[b + 1]!) && b + 2 < n && like[b + 2])) {
          b++;
          continue;
        }
        break;
      }
      if (
        NAME_PARTICLES.has(w) &&
        b + 1 < n &&
        (like[b + 1] || (norm[b + 1] === "-" && b + 2 < n && like[b + 2]))
      ) {
        b++;
        continue;
      }
      if (w === "of" && b + 1 < n && like[b + 1]) {
        const prev = stripPoss(norm[b - 1]!);
        if (
          ORG_SUFFIXES.has(prev) ||
          ROLE_HEADS.has(prev) ||
          prev === "secretary" ||
          prev === "minister" ||
          prev === "bank"
        ) {
          b++;
          continue;
        }
      }
      if (w === "&" && b + 1 < n && like[b + 1]) {
        b++;
        continue;
      }
      break;
    }
    // Trailing joiners are not part of the name.
    while (b > a + 1 && !like[b - 1]) b--;
    classifyChunk(a, b);
    i = b;
  }

  function classifyChunk(a: number, b: number): void {
    // Honorific at the start ("Mr. Lavrov"): kept in the mention.
    let k = a;
    let honorific = false;
    while (k < b && HONORIFICS.has(norm[k]!)) {
      honorific = true;
      k++;
    }
    if (k >= b) {
      // "the Lord", "Sir" alone: no name follows the honorific
      k = a;
      honorific = false;
    }
    // Title prefix ("US Secretary of State", "Italian President", "Foreign Secretary").
    let titleEnd = -1;
    let country = "";
    if (!honorific) {
      const words: string[] = [];
      for (let t = k; t < b; t++) {
        const w = stripPoss(norm[t]!);
        const known = knownAt(w, t, t + 1);
        const isRoleWord = ROLE_MODIFIERS.has(w) || ROLE_HEADS.has(w) || gz.roleHeads.has(w) || w === "of";
        if (
          !isRoleWord &&
          !(known && (known.type === "GPE" || known.type === "NORP" || known.type === "ORG"))
        )
          break;
        if (known && !isRoleWord) {
          if (!country) country = known.country;
        } else words.push(w);
        if (words.length > 0 && roleClass(words.join(" "), gz.roleHeads) && (t + 1 >= b || !isRoleTok(t + 1)))
          titleEnd = t + 1;
        if (endsWithPoss(norm[t]!)) break;
      }
    }
    if (titleEnd > k && titleEnd < b && !nameAfterTitle(titleEnd, b)) titleEnd = -1;
    if (titleEnd > k) {
      // Known places/groups inside the title get their own mentions.
      emitKnownRuns(k, titleEnd);
      if (titleEnd >= b) return; // the chunk is a bare title: the descriptor pass handles it
      k = titleEnd;
    } else if (!honorific && splitInnerTitle(k, b)) return;
    addMention(honorific ? a : k, b, k, honorific, titleEnd > 0, country);
  }

  /**
   * A title inside the chunk: "Wells Fargo CEO John Stumpf", "House Speaker Paul Ryan",
   * "Retired Lt. Gen. Michael Flynn". The part before the title is typed on its own, the
   * title is left to the descriptor pass, and the words after it are a person's name.
   */
  function splitInnerTitle(k: number, b: number): boolean {
    let r = -1;
    for (let t = b - 2; t > k; t--) {
      const w = stripPoss(norm[t]!);
      if (ROLE_HEADS.has(w) || HONORIFICS.has(w)) {
        r = t;
        break;
      }
    }
    if (r < 0 || b - r - 1 > 4 || pos[r + 1] !== P_PROPN) return false;
    for (let t = r + 1; t < b; t++) {
      const w = stripPoss(norm[t]!);
      if (NAME_PARTICLES.has(w) || w === "-" || NAME_SUFFIXES.has(w)) continue;
      if (
        ROLE_HEADS.has(w) ||
        ROLE_MODIFIERS.has(w) ||
        gz.common.has(w) ||
        ORG_SUFFIXES.has(w) ||
        PLACE_HEADS.has(w) ||
        KNOWN.has(w)
      )
        return false;
    }
    let s = r;
    while (
      s - 1 > k &&
      (ROLE_MODIFIERS.has(norm[s - 1]!) ||
        ROLE_HEADS.has(norm[s - 1]!) ||
        HONORIFICS.has(norm[s - 1]!) ||
        norm[s - 1] === "of")
    )
      s--;
    let country = "";
    let prefixUseful = false;
    for (let t = k; t < s; t++) {
      const w = stripPoss(norm[t]!);
      const known = knownAt(w, t, t + 1);
      if (known?.country && !country) country = known.country;
      if (known || !gz.common.has(w)) prefixUseful = true;
    }
    if (s > k && prefixUseful) classifyChunk(k, s);
    addMention(r + 1, b, r + 1, false, true, country);
    return true;
  }

  /** Words after a title form a name: not "Department" in "Justice Department", not "City" in "Queen City". */
  function nameAfterTitle(a: number, b: number): boolean {
    for (let t = a; t < b; t++) {
      const w = stripPoss(norm[t]!);
      if (NAME_PARTICLES.has(w) || w === "-" || NAME_SUFFIXES.has(w) || HONORIFICS.has(w)) continue;
      if (ORG_SUFFIXES.has(w) || PLACE_HEADS.has(w) || EVENT_HEADS.has(w)) return false;
      if (gz.common.has(w) && !gz.firstNames.has(w) && !gz.surnames.has(w) && !confirmed.has(w)) return false;
    }
    return true;
  }

  function isRoleTok(t: number): boolean {
    const w = stripPoss(norm[t]!);
    return ROLE_HEADS.has(w) || w === "of" || (ROLE_MODIFIERS.has(w) && !gz.firstNames.has(w));
  }

  function emitKnownRuns(a: number, b: number): void {
    let t = a;
    while (t < b) {
      let hit = 0;
      for (let e = Math.min(b, t + 4); e > t; e--) {
        const key = keyOf(t, e);
        if (knownAt(key, t, e)) {
          hit = e;
          break;
        }
      }
      if (hit) {
        addMention(t, hit, t, false, false, "");
        t = hit;
      } else t++;
    }
  }

  function keyOf(a: number, b: number): string {
    let s = "";
    for (let t = a; t < b; t++) {
      const w = norm[t]!;
      if (w === "-" || w === "–") {
        s += "-";
        continue;
      }
      const prevHyphen = s.endsWith("-");
      s += (s && !prevHyphen ? " " : "") + (t === b - 1 ? stripPoss(w) : w);
    }
    return s;
  }

  function addMention(
    ma: number,
    b: number,
    nameStart: number,
    honorific: boolean,
    titled: boolean,
    titleCountry: string,
  ): void {
    // Dates are not entities ("April 14th", "Friday").
    if (b - nameStart === 1 && DAYS_MONTHS.has(stripPoss(norm[nameStart]!)) && !honorific) return;
    if (DAYS_MONTHS.has(norm[nameStart]!) && b - nameStart === 2 && pos[nameStart + 1] === P_NUM) return;
    const key = keyOf(nameStart, b);
    const start = T.start[ma]!;
    let end = T.end[b - 1]!;
    if (endsWithPoss(norm[b - 1]!) && norm[b - 1]!.length > 2) end -= 2;
    const nameToks: string[] = [];
    for (let t = nameStart; t < b; t++) {
      const w = stripPoss(norm[t]!);
      if (w === "-" || w === "–" || NAME_PARTICLES.has(w) || NAME_SUFFIXES.has(w) || HONORIFICS.has(w))
        continue;
      if (w.indexOf("-") < 0) nameToks.push(w);
      else for (const part of w.split("-")) if (part && !NAME_PARTICLES.has(part)) nameToks.push(part);
    }
    const len = b - nameStart;
    const last = nameToks[nameToks.length - 1] ?? "";
    const surfaceName = text.slice(T.start[nameStart]!, end);
    let type: EntityType = "MISC";
    let known = knownAt(key, nameStart, b);
    // "U.S. Senate", "Russian State Duma": a country word before a known institution is that institution.
    if (!known && len >= 2) {
      const lead = knownAt(stripPoss(norm[nameStart]!), nameStart, nameStart + 1);
      if (lead && (lead.type === "GPE" || lead.type === "NORP")) {
        const rest = knownAt(keyOf(nameStart + 1, b), nameStart + 1, b);
        if (rest && rest.type === "ORG") known = rest;
      }
    }
    if (known) type = known.type;
    else if (honorific || titled) type = "PERSON";
    else if ((stateAfter(b) && !gz.firstNames.has(nameToks[0]!)) || stateAbbrev(nameStart, b)) {
      type = "GPE";
      cueTyped.set(nameToks.join(" "), "GPE");
    } else if (len >= 2 && EVENT_HEADS.has(last) && !ORG_SUFFIXES.has(last)) type = "EVENT";
    else if (len >= 2 && PLACE_PREFIX.has(norm[nameStart]!) && !honorific) type = "LOC";
    else if (len >= 2 && gz.persons.has(nameToks.join(" ")) && !ORG_SUFFIXES.has(last)) type = "PERSON";
    else if (len >= 2 && (ORG_SUFFIXES.has(last) || gz.orgs.has(key) || orgOfX(nameStart, b))) type = "ORG";
    else if (len >= 2 && MISC_HEADS.has(last)) type = "MISC";
    else if (len >= 2 && EVENT_HEADS.has(last)) type = "EVENT";
    else if (len >= 2 && PLACE_HEADS.has(last)) type = PLACE_HEADS.get(last)!;
    else if (gz.orgs.has(key) && !gz.firstNames.has(key)) type = "ORG";
    else if (
      len >= 2 &&
      len <= 4 &&
      gz.firstNames.has(nameToks[0]!) &&
      !ORG_SUFFIXES.has(last) &&
      !KNOWN_FIRST.has(nameToks[0]!) &&
      !KNOWN.has(nameToks[0]!)
    )
      type = "PERSON";
    else if (gz.gpes.has(key)) type = "GPE";
    else if (
      ALL_CAPS.test(surfaceName) &&
      /\p{Lu}.*\p{Lu}|\p{Lu}\d/u.test(surfaceName) &&
      surfaceName.length <= 7
    )
      type = "ORG";
    else if (len >= 2 && gz.surnames.has(last) && !gz.common.has(nameToks[0]!)) type = "PERSON";
    else if (len === 1 && /(?:an|ian|ese|ish)$/.test(key) && b < n && pos[b] === P_NOUN && !cap[b])
      type = "NORP";
    else if (len === 1 && gz.firstNames.has(key) && !KNOWN.has(key)) type = "PERSON";
    else if (len === 1 && ORG_SUFFIXES.has(key)) type = "ORG";
    else if (
      len === 1 &&
      (gz.famous.has(key) || (gz.surnames.has(key) && b < n && (pos[b] === P_VERB || norm[b] === "'s")))
    )
      type = "PERSON";
    else if (
      len >= 2 &&
      len <= 3 &&
      b < n &&
      SPEECH_VERBS.has(norm[b]!) &&
      nameToks.every((w) => !gz.common.has(w))
    )
      type = "PERSON";
    else if (looksLikePersonName(nameStart, b, nameToks)) type = "PERSON";
    else if (len <= 3 && nameToks.every((w) => !gz.common.has(w)) && ageAfter(b)) {
      type = "PERSON";
      cueTyped.set(nameToks.join(" "), "PERSON");
    }
    // "a press conference in Halden": a lone unknown name after a locative preposition is a place.
    else if (len === 1 && ma > 0 && (norm[ma - 1] === "in" || norm[ma - 1] === "near") && !honorific)
      type = "GPE";
    // A lone capitalised common word with no cue is not an entity ("Federal", "Flood"), nor a unit or time zone.
    if (type === "MISC" && nameToks.length === 1 && gz.common.has(nameToks[0]!)) {
      // "the Times", "the Hill": a capitalised common noun after "the" names an organisation.
      const w = nameToks[0]!;
      if (
        ma > 0 &&
        norm[ma - 1] === "the" &&
        !initial[ma] &&
        !ROLE_HEADS.has(w) &&
        !ROLE_MODIFIERS.has(w) &&
        !HONORIFICS.has(w) &&
        !gz.roleHeads.has(w)
      )
        type = "ORG";
      else return;
    }
    if (len === 1 && NOT_ENTITY_ACRONYMS.has(key) && (allCaps[nameStart] || key.includes("."))) return;
    if (len === 1 && HONORIFICS.has(key)) return; // "the Lord", "Sir"
    if (PARTY_STATE.test(key)) return; // "(R-Texas)", "D-N.Y."
    // A person's possessive GPE right before the name: "Russia's Vladimir Putin".
    let alias = normSurface(text.slice(start, end));
    let country = titleCountry;
    if (type === "PERSON" && ma >= 2 && norm[ma - 1] === "'s") {
      const pa = possessorStart(ma - 1);
      const k2 = knownAt(keyOf(pa, ma - 1), pa, ma - 1);
      if (k2 && (k2.type === "GPE" || k2.type === "ORG")) {
        if (k2.country) country = k2.country;
        if (!titled) alias = normSurface(text.slice(T.start[pa]!, end));
      }
    } else if (type === "PERSON" && ma >= 1 && endsWithPoss(norm[ma - 1]!) && norm[ma - 1]!.length > 2) {
      const k2 = knownAt(stripPoss(norm[ma - 1]!), ma - 1, ma);
      if (k2 && k2.country) country = k2.country;
    }
    const m: Mention = {
      a: ma,
      b,
      start,
      end,
      type,
      nameToks,
      display: known ? known.name : displayOf(type, nameStart, b, surfaceName),
      known,
      honorific,
      titled,
      alias,
      country,
      cluster: -1,
    };
    for (let t = ma; t < b; t++) inName[t] = mentions.length;
    mentions.push(m);
  }

  /** "Department of Justice", "University of Texas", "Bank of America". */
  function orgOfX(a: number, b: number): boolean {
    for (let t = a + 1; t < b - 1; t++) if (norm[t] === "of" && ORG_SUFFIXES.has(norm[t - 1]!)) return true;
    return false;
  }

  /** Two or three unknown capitalised words, none a common word, a known place/org or an ORG/EVENT head. */
  /** "Saginaw, Mich.": a state abbreviation after a comma ends a place name. */
  function stateAfter(b: number): boolean {
    return norm[b] === "," && STATE_ABBR.has(norm[b + 1] ?? "") && cap[b + 1] === 1;
  }

  /** "Mich." itself, after "Saginaw,". */
  function stateAbbrev(a: number, b: number): boolean {
    return b - a === 1 && STATE_ABBR.has(norm[a]!) && a >= 2 && norm[a - 1] === "," && cap[a - 2] === 1;
  }

  /** "Madonna, 59," or "Madonna, now 59,": an age in apposition after the name. */
  function ageAfter(b: number): boolean {
    let k = b;
    if (norm[k] !== ",") return false;
    k++;
    if (norm[k] === "now" || norm[k] === "aged" || norm[k] === "age") k++;
    const age = norm[k];
    if (age === undefined || !/^\d{1,3}$/.test(age) || Number(age) < 1 || Number(age) > 110) return false;
    return norm[k + 1] === "," && T.sentence[k + 1] === T.sentence[b - 1];
  }

  function looksLikePersonName(a: number, b: number, toks: string[]): boolean {
    if (toks.length < 2 || toks.length > 3 || b - a < 2 || b - a > 5 || KNOWN_FIRST.has(toks[0]!))
      return false;
    for (let t = a; t < b; t++) {
      const w = stripPoss(norm[t]!);
      if (w === "-" || w === "–" || NAME_PARTICLES.has(w)) continue;
      if (pos[t] !== P_PROPN && pos[t] !== P_NOUN) return false;
      if (!lowerIn[t]) return false;
      if (
        KNOWN.has(w) ||
        gz.common.has(w) ||
        ORG_SUFFIXES.has(w) ||
        EVENT_HEADS.has(w) ||
        gz.gpes.has(w) ||
        gz.orgs.has(w)
      )
        return false;
      if (ROLE_HEADS.has(w) || ROLE_MODIFIERS.has(w)) return false;
    }
    return true;
  }

  /** Start token of the possessor ending at token p (exclusive of "'s"): a run of capitalised tokens. */
  function possessorStart(p: number): number {
    let s = p;
    while (
      s - 1 >= 0 &&
      cap[s - 1] &&
      T.sentence[s - 1] === T.sentence[p - 1] &&
      !endsWithPoss(norm[s - 1]!) &&
      s > p - 4
    )
      s--;
    return s;
  }

  function displayOf(type: EntityType, a: number, b: number, surface: string): string {
    const key = type === "PERSON" ? "P" + surface : surface;
    let d = displayCache.get(key);
    if (d === undefined) {
      d = type === "PERSON" ? personDisplay(a, b) : canonicalName(surface);
      displayCache.set(key, d);
    }
    return d;
  }

  /** "Bashar-al Assad" / "Bashar al Assad" -> "Bashar al-Assad"; other names as written. */
  function personDisplay(a: number, b: number): string {
    const parts: string[] = [];
    let glue = false;
    for (let t = a; t < b; t++) {
      const w = norm[t]!;
      let surf = text.slice(T.start[t]!, T.end[t]!);
      if (t === b - 1 && endsWithPoss(w) && surf.length > 2) surf = surf.slice(0, -2);
      if (w === "-" || w === "–") {
        // hyphen between given name and particle is a spelling variant: drop it
        if (t + 1 < b && (norm[t + 1] === "al" || norm[t + 1] === "el")) continue;
        parts[parts.length - 1] += "-";
        glue = true;
        continue;
      }
      if ((w === "al" || w === "el") && t + 1 < b && norm[t + 1] !== "-") {
        parts.push(w + "-");
        glue = true;
        continue;
      }
      if (glue && parts.length) parts[parts.length - 1] += surf;
      else parts.push(surf);
      glue = false;
    }
    return parts.join(" ").replace(/\s+/g, " ").trim();
  }

  // A lone capitalised word equal to the last name of a person named in full elsewhere ("Lynch said"
  // at a sentence start, where wink tags it as a verb).
  const lastNames = new Set<string>();
  for (const m of mentions)
    if (m.type === "PERSON" && m.nameToks.length >= 2) lastNames.add(m.nameToks[m.nameToks.length - 1]!);
  if (lastNames.size > 0) {
    const before = mentions.length;
    for (let t = 0; t < n; t++) {
      if (!cap[t] || inName[t]! >= 0 || !lowerIn[t] || !lastNames.has(stripPoss(norm[t]!))) continue;
      if (pos[t] === P_PUNCT || pos[t] === POS.PRON || pos[t] === P_DET) continue;
      addMention(t, t + 1, t, false, false, "");
    }
    if (mentions.length > before) mentions.sort((x, y) => x.start - y.start);
    for (let q = 0; q < mentions.length; q++)
      for (let t = mentions[q]!.a; t < mentions[q]!.b; t++) inName[t] = q;
  }

  // ---- 2. clusters -----------------------------------------------------------------------------
  const clusters: Cluster[] = [];
  const byKey = new Map<string, number>();
  const newCluster = (m: Mention): number => {
    clusters.push({
      type: m.type,
      mentions: [],
      aliases: [],
      names: [],
      nameToks: [],
      roles: [],
      roleClasses: new Set(),
      roleHeads: new Set(),
      parties: new Set(),
      countries: new Set(),
      first: m.start,
    });
    return clusters.length - 1;
  };
  const attach = (m: Mention, c: number): void => {
    m.cluster = c;
    const C = clusters[c]!;
    C.mentions.push({ start: m.start, end: m.end });
    if (!C.aliases.includes(m.alias)) C.aliases.push(m.alias);
    const bare = normSurface(text.slice(T.start[m.honorific ? m.a + 1 : m.a]!, m.end));
    if (m.honorific && !C.aliases.includes(bare)) C.aliases.push(bare);
    if (!C.names.includes(m.display)) C.names.push(m.display);
    if (m.nameToks.length) C.nameToks.push(m.nameToks);
    if (m.country) C.countries.add(m.country);
    if (m.honorific) {
      const role = HONORIFIC_ROLE[norm[m.a]!];
      if (role) {
        C.roleHeads.add(role);
        const cls = roleClass(role);
        if (cls) C.roleClasses.add(cls);
      }
    }
    if (m.start < C.first) C.first = m.start;
  };

  // A name typed by a strong cue in one mention is that where it stands bare; an aged name also ends the full
  // name no list knew ("Aldrin, 88," makes "Buzz Aldrin" a person).
  // A full name only when capitalised mid-sentence or free of common words ("astronaut Buzz Aldrin", not the
  // headline's "Stubborn Kanye").
  const aged = (m: Mention): boolean =>
    (cueTyped.get(m.nameToks.join(" ")) === "PERSON" ||
      cueTyped.get(m.nameToks[m.nameToks.length - 1] ?? "") === "PERSON") &&
    (!initial[m.a] || m.nameToks.every((w) => !gz.common.has(w)));
  for (const m of mentions) {
    if (m.known || (m.type !== "MISC" && m.type !== "ORG")) continue;
    const cued = cueTyped.get(m.nameToks.join(" "));
    // "SAGINAW" (capitals: typed ORG) in the dateline before "Saginaw, Mich.".
    if (cued === "GPE") m.type = "GPE";
    else if (m.type === "MISC" && aged(m)) m.type = "PERSON";
  }
  // People with two or more name tokens first: key = first + last name.
  const persons = mentions.filter((m) => m.type === "PERSON" && m.nameToks.length >= 2);
  for (const m of persons) {
    const key = "P:" + m.nameToks[0] + " " + m.nameToks[m.nameToks.length - 1];
    let c = byKey.get(key);
    if (c === undefined) {
      // "George W. Bush" vs "George Bush": same first and last name already handled; a longer
      // name whose last name matches a one-name cluster is merged below.
      c = newCluster(m);
      byKey.set(key, c);
    }
    attach(m, c);
  }
  const lastNameIndex = new Map<string, number[]>();
  const firstNameIndex = new Map<string, number[]>();
  for (let c = 0; c < clusters.length; c++) {
    for (const toks of clusters[c]!.nameToks) {
      const last = toks[toks.length - 1]!;
      const arr = lastNameIndex.get(last) ?? [];
      if (!arr.includes(c)) arr.push(c);
      lastNameIndex.set(last, arr);
      const fa = firstNameIndex.get(toks[0]!) ?? [];
      if (!fa.includes(c)) fa.push(c);
      firstNameIndex.set(toks[0]!, fa);
    }
  }
  /** Among people sharing a last name: the most mentioned so far, then the nearest before `at`. */
  const salientCluster = (cands: number[], at: number): number => {
    if (cands.length === 1) return cands[0]!;
    let best = -1;
    let bestCount = -1;
    for (const c of cands) {
      let count = 0;
      for (const mm of clusters[c]!.mentions) if (mm.start < at) count++;
      if (count > bestCount) {
        bestCount = count;
        best = c;
      } else if (count === bestCount) best = nearestCluster([best, c], at);
    }
    return best;
  };
  const nearestCluster = (cands: number[], at: number): number => {
    // The candidate mentioned last before `at`, else the first one mentioned after it.
    let best = cands[0]!;
    let bestPos = -Infinity;
    for (const c of cands) {
      for (const mm of clusters[c]!.mentions) {
        if (mm.start < at && mm.start > bestPos) {
          bestPos = mm.start;
          best = c;
        }
      }
    }
    return best;
  };
  for (const m of mentions) {
    if (m.cluster >= 0) continue;
    // "Jordan" after "Jim Jordan": the person in this text, not the country.
    if (m.known && m.b - m.a === 1 && m.nameToks.length === 1 && m.known.type !== "NORP") {
      const cands = lastNameIndex.get(m.nameToks[0]!);
      if (cands) {
        m.type = "PERSON";
        attach(m, salientCluster(cands, m.start));
        continue;
      }
    }
    if (m.known) {
      const key = "K:" + m.known.type + ":" + m.known.name;
      let c = byKey.get(key);
      if (c === undefined) {
        c = newCluster(m);
        byKey.set(key, c);
      }
      attach(m, c);
      continue;
    }
    // A single name (or "Mr. X") that ends a person's name: "Putin", "Mr. Lavrov", "Assad".
    const last = m.nameToks[m.nameToks.length - 1];
    if (
      last &&
      m.nameToks.length <= 2 &&
      (m.type === "PERSON" || m.type === "MISC" || m.nameToks.length === 1)
    ) {
      const cands = lastNameIndex.get(last);
      if (cands && (m.nameToks.length === 1 || m.type === "PERSON")) {
        m.type = "PERSON";
        attach(m, salientCluster(cands, m.start));
        continue;
      }
    }
    // "the Association" after "the White House Correspondents' Association": the one organisation ending so.
    const mt = m.nameToks;
    if (m.type === "ORG" && mt.length >= 1 && mt.length <= 3 && ORG_SUFFIXES.has(mt[mt.length - 1]!)) {
      let only = -1;
      for (let c = 0; c < clusters.length; c++) {
        const C = clusters[c]!;
        if (C.type !== "ORG" || C.mentions.length === 0) continue;
        const hit = C.nameToks.some(
          (t) => t.length > mt.length && mt.every((w, k) => t[t.length - mt.length + k] === w),
        );
        if (hit) only = only === -1 ? c : -2;
      }
      if (only >= 0) {
        attach(m, only);
        continue;
      }
    }
    // A lone first name shared by exactly one person named in full: "Chrissy" = "Chrissy Metz".
    if (m.nameToks.length === 1 && !m.honorific && (m.type === "PERSON" || m.type === "MISC")) {
      const cands = firstNameIndex.get(m.nameToks[0]!);
      if (cands && cands.length === 1) {
        m.type = "PERSON";
        attach(m, cands[0]!);
        continue;
      }
    }
    const key = m.type + ":" + m.nameToks.join(" ");
    let c = byKey.get(key);
    if (c === undefined) {
      c = newCluster(m);
      byKey.set(key, c);
    }
    attach(m, c);
  }
  // Acronyms to their spelled-out organisation ("NATO" = "North Atlantic Treaty Organization").
  const acr = new Map<string, number>();
  for (let c = 0; c < clusters.length; c++) {
    const C = clusters[c]!;
    if (C.type !== "ORG" && C.type !== "MISC") continue;
    for (const name of C.names) {
      const words = name.split(/\s+/).filter((w) => !/^(of|the|and|for|&)$/i.test(w));
      if (words.length >= 2) acr.set(words.map((w) => w[0]!.toUpperCase()).join(""), c);
    }
  }
  for (let c = 0; c < clusters.length; c++) {
    const C = clusters[c]!;
    // Only an organisation's acronym: "D.C." after "Washington," is a place, not "Disease Control".
    if (C.mentions.length === 0 || (C.type !== "ORG" && C.type !== "MISC")) continue;
    const target = acr.get(C.names[0]!.replace(/\./g, ""));
    if (target !== undefined && target !== c && /^[A-Z.]+$/.test(C.names[0]!)) mergeInto(target, c);
  }

  function mergeInto(into: number, from: number): void {
    const A = clusters[into]!;
    const B = clusters[from]!;
    A.mentions.push(...B.mentions);
    for (const x of B.aliases) if (!A.aliases.includes(x)) A.aliases.push(x);
    A.names.push(...B.names);
    A.nameToks.push(...B.nameToks);
    for (const r of B.roles) if (!A.roles.includes(r)) A.roles.push(r);
    for (const r of B.roleClasses) A.roleClasses.add(r);
    for (const r of B.roleHeads) A.roleHeads.add(r);
    for (const r of B.parties) A.parties.add(r);
    for (const r of B.countries) A.countries.add(r);
    if (A.type === "MISC") A.type = B.type;
    A.first = Math.min(A.first, B.first);
    B.mentions = [];
    for (const m of mentions) if (m.cluster === from) m.cluster = into;
  }

  // ---- 3. descriptors ----------------------------------------------------------------------------
  const descriptors = findDescriptors();
  const pending: Descriptor[] = [];
  for (const d of descriptors) {
    // Title + name: "Kremlin's spokesman Dmitry Peskov", "Russia's Foreign Minister Sergei Lavrov".
    const after = d.b < n ? inName[d.b]! : -1;
    if (after >= 0 && mentions[after]!.type === "PERSON" && mentions[after]!.a === d.b) {
      tie(d, mentions[after]!.cluster, true);
      continue;
    }
    // Apposition: "Dmitry Peskov, Kremlin's spokesman told …", "Tillerson, the US Secretary of State,".
    if (d.a >= 2 && norm[d.a - 1] === ",") {
      const before = inName[d.a - 2]!;
      if (before >= 0 && mentions[before]!.type === "PERSON" && mentions[before]!.b === d.a - 1) {
        const nx = d.b < n ? norm[d.b]! : ".";
        if (
          nx === "," ||
          nx === "." ||
          pos[d.b] === P_VERB ||
          pos[d.b] === P_AUX ||
          nx === ")" ||
          nx === ";"
        ) {
          tie(d, mentions[before]!.cluster, true);
          continue;
        }
      }
    }
    // Copula: "Peskov is the Kremlin's spokesman".
    if (d.a >= 2 && COPULA.has(norm[d.a - 1]!)) {
      const before = inName[d.a - 2]!;
      if (
        before >= 0 &&
        mentions[before]!.type === "PERSON" &&
        mentions[before]!.b === d.a - 1 &&
        d.definite
      ) {
        tie(d, mentions[before]!.cluster, true);
        continue;
      }
    }
    if (d.definite && !d.personPossessor && !d.predicate && !d.generic) pending.push(d);
  }
  // Role inference: same role class and no country conflict; otherwise the subject of the previous sentences.
  for (const d of pending) {
    // Equivalent roles for the strong classes (top diplomat = Secretary of State), the same head word
    // otherwise ("the mayor" = "Mayor Bill de Blasio"); a country in the descriptor must agree.
    const cands: number[] = [];
    for (let c = 0; c < clusters.length; c++) {
      const C = clusters[c]!;
      if (C.type !== "PERSON" || C.mentions.length === 0) continue;
      if (d.strong && d.country ? !C.roleClasses.has(d.cls) : !C.roleHeads.has(d.head)) continue;
      if (d.country && !C.countries.has(d.country)) continue;
      if (d.party && C.parties.size > 0 && !C.parties.has(d.party)) continue;
      cands.push(c);
    }
    if (cands.length > 0) {
      tie(d, nearestCluster(cands, d.start), false);
      continue;
    }
    // The subject of the previous sentences, for a subject descriptor naming a country ("The Russian leader").
    if (!d.strong || !d.country) continue;
    const s = T.sentence[d.a]!;
    if (!initial[d.a] && !(d.a > doc.sentences[s]!.tokStart && initial[d.a - 1] && pos[d.a - 1] === P_DET)) {
      // Only a subject descriptor (at the sentence start) is resolved to the previous subject.
      if (!(
        d.a === doc.sentences[s]!.tokStart ||
        (d.a - 1 >= doc.sentences[s]!.tokStart && initial[d.a - 1])
      ))
        continue;
    }
    const subj = previousSubject(s);
    if (subj < 0) continue;
    const C = clusters[subj]!;
    if (C.countries.size > 0 && !C.countries.has(d.country)) continue;
    if (C.roleClasses.size > 0 && !C.roleClasses.has(d.cls)) continue;
    if (d.party && C.parties.size > 0 && !C.parties.has(d.party)) continue;
    tie(d, subj, false);
  }

  function previousSubject(s: number): number {
    for (let p = s - 1; p >= Math.max(0, s - 2); p--) {
      const S = doc.sentences[p]!;
      if (titleSent[p]) continue;
      for (let t = S.tokStart; t < S.tokEnd; t++) {
        const mi = inName[t]!;
        if (mi >= 0 && mentions[mi]!.type === "PERSON" && mentions[mi]!.cluster >= 0)
          return mentions[mi]!.cluster;
        if (pos[t] === P_VERB) break; // the subject comes before the first verb
      }
    }
    return -1;
  }

  function tie(d: Descriptor, c: number, isRole: boolean): void {
    const C = clusters[c]!;
    if (!C) return;
    C.mentions.push({ start: d.start, end: d.end });
    if (!C.aliases.includes(d.text)) C.aliases.push(d.text);
    const role = d.text.replace(/^(?:the|a|an)\s+/i, "");
    if (isRole && !C.roles.includes(role)) C.roles.push(role);
    if (isRole) {
      C.roleClasses.add(d.cls);
      C.roleHeads.add(d.head);
      if (d.party) C.parties.add(d.party);
    }
    if (d.country && isRole) C.countries.add(d.country);
  }

  function partyIn(a: number, h: number): string {
    for (let t = a; t < h; t++) {
      const w = norm[t]!;
      if (PARTIES.has(w)) return w;
      if (w === "democrat" || w === "democrats") return "democratic";
    }
    return "";
  }

  function isPredicate(a: number): boolean {
    let t = a - 1;
    while (t >= 0 && pos[t] === POS.ADV) t--;
    return t >= 0 && BE_FORMS.has(norm[t]!);
  }

  function findDescriptors(): Descriptor[] {
    const out: Descriptor[] = [];
    for (let h = 0; h < n; h++) {
      const w = norm[h]!;
      if (pos[h] !== P_NOUN && pos[h] !== P_PROPN) continue;
      if (!(ROLE_HEADS.has(w) || gz.roleHeads.has(w))) continue;
      if (inName[h]! >= 0 && mentions[inName[h]!]!.type !== "GPE" && mentions[inName[h]!]!.type !== "NORP")
        continue;
      // The head ends the noun phrase (next word is not another noun), unless a name follows (title).
      const nx = h + 1;
      const nameNext = nx < n && inName[nx]! >= 0 && mentions[inName[nx]!]!.a === nx;
      if (
        nx < n &&
        !nameNext &&
        (pos[nx] === P_NOUN || (pos[nx] === P_PROPN && !cap[nx])) &&
        T.sentence[nx] === T.sentence[h]
      )
        continue;
      const words: string[] = [w];
      let a = h;
      let country = "";
      let definite = false;
      let personPossessor = false;
      const sent = T.sentence[h]!;
      while (a - 1 >= 0 && T.sentence[a - 1] === sent) {
        const t = a - 1;
        const x = norm[t]!;
        if (x === "the" || x === "this" || x === "that") {
          definite = true;
          a = t;
          break;
        }
        if (x === "a" || x === "an") {
          a = t;
          break;
        }
        if (x === "'s" || (endsWithPoss(x) && x.length > 2)) {
          const pEnd = x === "'s" ? t : t + 1;
          const ps = x === "'s" ? possessorStart(t) : t;
          if (ps >= pEnd && x === "'s") break;
          const k = knownAt(keyOf(ps, pEnd), ps, pEnd);
          const mi = inName[pEnd - 1]!;
          if (k) country = k.country || country;
          else if (mi >= 0 && mentions[mi]!.type === "PERSON") personPossessor = true;
          else if (!(mi >= 0 && (mentions[mi]!.type === "ORG" || mentions[mi]!.type === "GPE"))) break;
          definite = true;
          a = ps > 0 && norm[ps - 1] === "the" && T.sentence[ps - 1] === sent ? ps - 1 : ps;
          break;
        }
        const k = knownAt(stripPoss(x), t, t + 1);
        if (k && (k.type === "NORP" || k.type === "GPE")) {
          country = k.country || country;
          a = t;
          continue;
        }
        if (DEMONYM_COUNTRY.has(x)) {
          country = DEMONYM_COUNTRY.get(x)!;
          a = t;
          continue;
        }
        if (ROLE_MODIFIERS.has(x) || ROLE_HEADS.has(x) || x === "of" || (pos[t] === P_ADJ && !cap[t])) {
          if (x === "of" && !(t - 1 >= 0 && ROLE_HEADS.has(norm[t - 1]!))) break;
          words.unshift(x);
          a = t;
          continue;
        }
        break;
      }
      const phrase = words.join(" ");
      const cls = roleClass(phrase, gz.roleHeads);
      if (!cls) continue;
      // "the Republican nominee's daughter", "the U.S. attorney's office": a possessor, not a descriptor.
      if (nx < n && (norm[nx] === "'s" || norm[nx] === "'")) continue;
      // "the foreign minister of France".
      let b = h + 1;
      if (b + 1 < n && norm[b] === "of" && inName[b + 1]! >= 0) {
        const m2 = mentions[inName[b + 1]!]!;
        if (m2.a === b + 1 && m2.known && (m2.type === "GPE" || m2.type === "ORG")) {
          if (m2.known.country) country = m2.known.country;
          b = m2.b;
        }
      }
      // Headline titles without a determiner are definite ("Russian Foreign Minister: …").
      if (!definite && titleSent[sent] && cap[h]) definite = true;
      // "Foreign Minister Sergei Lavrov" without article: the name follows.
      const start = T.start[a]!;
      const end = T.end[b - 1]!;
      out.push({
        a,
        b,
        start,
        end,
        text: normSurface(text.slice(start, end)),
        cls,
        head: w,
        party: partyIn(a, h),
        predicate: isPredicate(a),
        generic: words.some((x) => GENERIC_MODS.has(x)),
        country,
        personPossessor,
        definite,
        strong: STRONG_ROLE_CLASSES.has(cls),
      });
    }
    // "the former secretary" inside "the former secretary of state": keep the longest (one sweep).
    const order = out
      .map((_, k) => k)
      .sort((x, y) => out[x]!.start - out[y]!.start || out[y]!.end - out[x]!.end);
    const keep = new Uint8Array(out.length).fill(1);
    let maxEnd = -1;
    for (const k of order) {
      const d = out[k]!;
      if (maxEnd >= d.end) keep[k] = 0;
      else maxEnd = d.end;
    }
    return out.filter((_, k) => keep[k] === 1);
  }

  // ---- 4. output ---------------------------------------------------------------------------------
  const out: Entity[] = [];
  const live = clusters.filter((C) => C.mentions.length > 0).sort((x, y) => x.first - y.first);
  for (const C of live) {
    const seen = new Set<number>();
    const ms = C.mentions
      .sort((x, y) => x.start - y.start || y.end - x.end)
      .filter((m) => {
        const k = m.start * 16_777_216 + m.end;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .map((m) => ({ start: m.start, end: m.end, text: text.slice(m.start, m.end) }));
    out.push({
      id: `e${out.length + 1}`,
      name: fullestName(C),
      type: C.type,
      aliases: C.aliases,
      ...(C.roles.length > 0 && { roles: C.roles }),
      mentions: ms,
    });
  }
  return out;
}

function fullestName(C: Cluster): string {
  let best = C.names[0] ?? C.aliases[0] ?? "";
  let bestScore = -1;
  for (const nm of C.names) {
    // Most words first, then written in mixed case (not "DONALD TRUMP"), then longest.
    const score = nm.split(/\s+/).length * 1000 + (/\p{Ll}/u.test(nm) ? 500 : 0) + nm.length;
    if (score > bestScore) {
      bestScore = score;
      best = nm;
    }
  }
  best = normSurface(best);
  return /\p{Ll}/u.test(best) || best.length <= 5 ? best : titleCase(best.toLowerCase());
}

function canonicalName(surface: string): string {
  const s = normSurface(surface);
  return /\p{Ll}/u.test(s) || s.length <= 5 ? s : titleCase(s.toLowerCase());
}

function endsWithPoss(w: string): boolean {
  return w === "'s" || w.endsWith("'s") || w === "'";
}

function stripPoss(w: string): string {
  return w.length > 2 && w.endsWith("'s") ? w.slice(0, -2) : w;
}
