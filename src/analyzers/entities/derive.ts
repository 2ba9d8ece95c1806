// Derives the entity gazetteer from the research corpora in ../shared/data (run by `claimscope train
// entities`). Everything here is counted from data; closed lists live in lexicon.ts.
//   LIAR speakers + job titles     -> person full names, first names, surnames, role heads
//   FakeNewsNet authors            -> first names
//   PolNeAR train Source spans     -> person names, role words standing before names
//   FakeNewsNet/PTC/PolNeAR train  -> capitalisation statistics (common vs proper words) and
//                                     capitalised sequences with their contexts -> ORG / GPE / surname cues
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  DAYS_MONTHS,
  EVENT_HEADS,
  HONORIFICS,
  KNOWN,
  NEVER_NAME,
  ORG_SUFFIXES,
  ROLE_HEADS,
  ROLE_MODIFIERS,
} from "./lexicon.js";

export interface Gazetteer {
  version: 1;
  /** Lower-cased first names. */
  firstNames: string[];
  /** Lower-cased surnames of known people. */
  surnames: string[];
  /** Lower-cased full names of known people (two or more words). */
  persons: string[];
  /** Lower-cased last names of people LIAR quotes ≥ 5 times ("trump", "obama"): a lone one is a person. */
  famous: string[];
  /** Lower-cased names typed ORG by corpus context ("the X", ORG head words). */
  orgs: string[];
  /** Lower-cased names typed GPE by corpus context ("in X"). */
  gpes: string[];
  /** Lower-cased role head words derived from job titles and source spans. */
  roleHeads: string[];
  /** Words mostly written in lower case: a capitalised one at a sentence start or in a headline is not a name. */
  common: string[];
  /** Words mostly written capitalised mid-sentence: names even at a sentence start or in a headline. */
  proper: string[];
  /**
   * First names whose bearers the texts refer back to as "she" / "he" (the first personal pronoun after "First
   * Last" in the same sentence, no other capitalised word between): for pronoun agreement. Absent in older files.
   */
  female?: string[];
  male?: string[];
  /** Counts behind the lists, for the model card. */
  stats: Record<string, number>;
}

/** A first name is female (male) when ≥ this many of its votes (pronouns, honorifics) say so … */
const GENDER_MIN = 2;
/** … and they outnumber the other gender's votes this many times. */
const GENDER_RATIO = 3;
/** Names borne by women and men alike get no gender whatever a corpus's counts say ("Kim Jong Un", "Kelly Slater"). */
const UNISEX = new Set(
  (
    "alex ali angel ashton avery bailey billie blair cameron carey casey charlie dakota dana drew frankie hayden " +
    "jackie jaime jamie jean jess jesse jody jordan kelly kendall kerry kim kris lee leslie lindsay lindsey logan " +
    "morgan pat peyton quinn reese riley robin rory ryan sam sandy shannon sidney skyler stacy sydney taylor terry " +
    "toni tracy"
  ).split(" "),
);
// "Nicole Kidman, 51, said she …", "Brad Pitt says he …": the subject of a speech verb, then its own pronoun.
const NAME_THEN_PRONOUN =
  /\b([A-Z][a-z]+)(?: [A-Z][a-z'-]+){1,2}(?:, [^,.!?\n]{1,40},)? (?:said|says|told \w+|added|explained|revealed|admitted|wrote|noted|insisted|claimed|announced|confirmed|recalled|insists|admits|explains|adds|reveals|tweeted|shared|continued|joked) (?:that )?(she|he)\b/g;

/** "First [M.] Last" in a text, to tell whom a later "Ms. Last" or "Mr. Last" of the same text names. */
const FULL_NAME = /\b([A-Z][a-z]{2,})(?: [A-Z]\.)? ([A-Z][a-z'-]{2,})\b/g;
// Not "Mrs.": it is also the wife of the only "First Last" named ("becoming Mrs. Verlander", "Mrs. Davidson").
const HONORIFIC_SURNAME = /\b(Ms|Miss|Mr)\.? ([A-Z][a-z'-]{2,})\b/g;

/** A word seen right before this many distinct known surnames is a first name. */
const FIRST_NAME_MIN_SURNAMES = 2;
/** Heads of capitalised names that the author lists also hold as surnames ("Grammy Award", "Hyde Park"). */
const NOT_SURNAME_HEADS = new Set(["award", "awards", "park", "prize", "show", "street", "square", "center"]);

const ORGISH = new Set([
  "committee",
  "posts",
  "email",
  "party",
  "news",
  "campaign",
  "pac",
  "group",
  "association",
  "council",
  "club",
  "coalition",
  "institute",
  "foundation",
  "america",
  "americans",
  "fund",
  "center",
  "union",
  "network",
  "times",
  "post",
  "project",
  "action",
  "alliance",
  "league",
  "media",
  "org",
  "inc",
  "blog",
  "posting",
  "website",
  "state",
  "states",
  "department",
  "democrats",
  "republicans",
  "for",
  "of",
  "the",
  "and",
  "county",
  "city",
  "viral",
  "image",
  "chain",
  "tweets",
  "ad",
  "ads",
  "web",
  "facebook",
  "twitter",
  "youtube",
  "staff",
  "editor",
  "editors",
  "report",
  "reports",
  "story",
  "found",
  "trending",
  "admin",
  "contributor",
  "contributors",
  "team",
  "desk",
  "wire",
  "press",
  "associated",
  "writer",
  "correspondent",
]);

/** Words the role-head patterns catch that are not roles. */
const ROLE_STOP = new Set([
  "star",
  "convention",
  "father",
  "wife",
  "husband",
  "daughter",
  "son",
  "sister",
  "brother",
  "worker",
  "firm",
  "victim",
  "resident",
  "all",
  "and",
  "another",
  "his",
  "her",
  "their",
  "the",
  "for",
  "from",
  "none",
  "elect",
  "industry",
  "play",
  "posting",
  "retired",
  "state",
  "systems",
  "tank",
  "voters",
  "website",
  "district",
  "former",
  "group",
  "member",
  "friend",
  "colleague",
  "constituent",
  "nonpartisan",
  "peel",
  "rival",
  "student",
  "mother",
  "organization",
]);

/** Words after which a period does not end the sentence. */
const ABBREV = /^(?:mr|mrs|ms|dr|st|jr|sr|gen|gov|sen|rep|[A-Z]|U\.S|U\.K|U\.N)$/i;

const NAME_WORD = /^[a-z][a-z'’.-]*[a-z.]$/;

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

function readLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n") : [];
}

export interface DeriveOptions {
  data: string;
  /** Cap on GossipCop texts read for statistics (the file is large and mostly celebrity news). */
  gossipLimit?: number;
  log?: (msg: string) => void;
}

export function deriveGazetteer(opts: DeriveOptions): Gazetteer {
  const log = opts.log ?? (() => {});
  const first = new Map<string, number>();
  const firstDistinct = new Map<string, Set<string>>();
  const surnames = new Map<string, number>();
  const persons = new Map<string, number>();
  const roleHeads = new Map<string, number>();
  const speakerLast = new Map<string, number>();
  // First name -> [female, male] votes: "First Last … said she|he" (pronounsOf), and "Ms. / Miss / Mr. Last" in a
  // text where "First Last" is the only full name with that surname (honorificsOf; one vote per text and honorific).
  const pronounsOf = new Map<string, [number, number]>();
  const honorificsOf = new Map<string, [number, number]>();
  const vote = (votes: Map<string, [number, number]>, first: string, male: boolean): void => {
    const fm = votes.get(first) ?? [0, 0];
    fm[male ? 1 : 0]++;
    votes.set(first, fm);
  };
  const countPronouns = (raw: string): void => {
    NAME_THEN_PRONOUN.lastIndex = 0;
    const text = raw.replace(/’/g, "'");
    let m: RegExpExecArray | null;
    while ((m = NAME_THEN_PRONOUN.exec(text))) vote(pronounsOf, m[1]!.toLowerCase(), m[2] === "he");
    if (!/\b(?:Ms|Miss|Mr)\b/.test(text)) return;
    const firstOf = new Map<string, Set<string>>();
    FULL_NAME.lastIndex = 0;
    while ((m = FULL_NAME.exec(text))) {
      let s = firstOf.get(m[2]!);
      if (!s) firstOf.set(m[2]!, (s = new Set()));
      s.add(m[1]!.toLowerCase());
    }
    const seen = new Set<string>();
    HONORIFIC_SURNAME.lastIndex = 0;
    while ((m = HONORIFIC_SURNAME.exec(text))) {
      const firsts = firstOf.get(m[2]!);
      // Two first names with one surname (a couple, a family): the honorific does not say whose it is.
      if (!firsts || firsts.size !== 1) continue;
      const first = [...firsts][0]!;
      const key = `${first} ${m[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      vote(honorificsOf, first, m[1] === "Mr");
    }
  };
  const addPerson = (parts: string[], weight: number): void => {
    if (parts.length < 2 || parts.length > 4) return;
    if (!parts.every((p) => NAME_WORD.test(p) && !ORGISH.has(p) && !ORG_SUFFIXES.has(p))) return;
    const full = parts.join(" ");
    bump(persons, full, weight);
    bump(first, parts[0]!, weight);
    let s = firstDistinct.get(parts[0]!);
    if (!s) firstDistinct.set(parts[0]!, (s = new Set()));
    s.add(full);
    bump(surnames, parts[parts.length - 1]!, weight);
  };

  // LIAR: speaker slugs ("barack-obama") and their job titles.
  let liarRows = 0;
  for (const file of ["train.tsv", "valid.tsv"]) {
    for (const line of readLines(join(opts.data, "liar", file))) {
      const c = line.split("\t");
      if (c.length < 8) continue;
      liarRows++;
      const slug = c[4]!.trim().toLowerCase();
      const job = c[5]!.trim().toLowerCase();
      const party = c[7]!.trim().toLowerCase();
      if (party === "organization") continue;
      const parts = slug.split("-").filter(Boolean);
      if (parts.length >= 2 && parts.length <= 3 && parts.every((p) => p.length >= 2)) {
        addPerson(parts, 1);
        bump(speakerLast, parts[parts.length - 1]!);
      }
      const head = /([a-z]+)\s*$/.exec(job.replace(/\(.*?\)|,.*$|\bof\b.*$|\bfor\b.*$/g, "").trim());
      if (head && head[1]!.length > 2) bump(roleHeads, head[1]!);
    }
  }
  log(`LIAR: ${liarRows} rows, ${persons.size} person names`);

  // FakeNewsNet authors (and later their texts for statistics).
  const texts: string[] = [];
  for (const [file, limit] of [
    ["politifact_news.jsonl", Infinity],
    ["gossipcop_news.jsonl", opts.gossipLimit ?? 5000],
  ] as const) {
    let n = 0;
    for (const line of readLines(join(opts.data, "fakenewsnet", file))) {
      if (!line.trim()) continue;
      n++;
      let rec: { authors?: unknown; text?: unknown; title?: unknown };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        continue;
      }
      if (Array.isArray(rec.authors)) {
        for (const a of rec.authors) {
          if (typeof a !== "string") continue;
          const parts = a.trim().toLowerCase().split(/\s+/);
          if (/^[A-Z][a-z]/.test(a.trim())) addPerson(parts, 1);
        }
      }
      if (typeof rec.text === "string" && rec.text.length > 200) {
        if (n <= limit) texts.push(rec.text);
        // Pronoun agreement needs more text than the other statistics: every article counts.
        else countPronouns(rec.text);
      }
    }
  }
  log(`FakeNewsNet: ${texts.length} texts`);

  // PolNeAR: Source spans; texts for statistics.
  // Train split only: PolNeAR dev is what `claimscope eval entities` measures on.
  for (const split of ["train"]) {
    const dir = join(opts.data, "polnear", split);
    if (!existsSync(join(dir, "attributions"))) continue;
    for (const f of readdirSync(join(dir, "text"))) texts.push(readFileSync(join(dir, "text", f), "utf8"));
    for (const f of readdirSync(join(dir, "attributions"))) {
      for (const line of readLines(join(dir, "attributions", f))) {
        const m = /^T\d+\tSource [\d; ]+\t(.+)$/.exec(line);
        if (!m) continue;
        const src = m[1]!.replace(/[’]/g, "'");
        // "White House press secretary Josh Earnest": role word right before a capitalised name.
        const tm = /(?:^|\s)([a-z]+)\s+((?:[A-Z][a-z'.-]+\s+){1,2}[A-Z][a-z'-]+)$/.exec(src);
        if (tm) {
          bump(roleHeads, tm[1]!);
          const parts = tm[2]!.toLowerCase().split(/\s+/);
          // source spans also name outlets ("Wall Street Journal"): require a known first name
          if (first.has(parts[0]!)) addPerson(parts, 1);
        } else {
          const nm = /^((?:[A-Z][a-z'.-]+\s+){1,2}[A-Z][a-z'-]+)$/.exec(src);
          const parts = nm ? nm[1]!.toLowerCase().split(/\s+/) : [];
          if (nm && first.has(parts[0]!)) addPerson(parts, 1);
        }
        // "Josh Earnest, the White House spokesman"
        const am = /^[A-Z][a-z]+ [A-Z][a-z'-]+, (?:the |a |an )?(?:[\w'.-]+ )*?([a-z]+)$/.exec(src);
        if (am) bump(roleHeads, am[1]!);
      }
    }
  }

  // PTC articles for statistics.
  const ptcDir = join(opts.data, "ptc", "articles");
  if (existsSync(ptcDir))
    for (const f of readdirSync(ptcDir)) texts.push(readFileSync(join(ptcDir, f), "utf8"));
  log(`statistics over ${texts.length} texts`);

  // Capitalisation statistics and capitalised sequences in context.
  const lower = new Map<string, number>();
  const capMid = new Map<string, number>();
  const seqCount = new Map<string, number>();
  const seqThe = new Map<string, number>();
  const seqIn = new Map<string, number>();
  const seqMr = new Map<string, number>();
  // Two-word capitalised sequences by first word, and last words of longer ones: a word mostly seen before known
  // surnames is a first name the LIAR / author lists miss ("Sienna Miller").
  const pairNext = new Map<string, Map<string, number>>();
  const seqEnd = new Map<string, number>();
  const WORD = /[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]/g;
  for (const raw of texts) {
    const text = raw.replace(/’/g, "'");
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    let prevWord = "";
    let prevEnd = 0;
    let seq: string[] = [];
    let seqPrev = "";
    const flush = (): void => {
      if (seq.length > 0 && seq.length <= 4) {
        const key = seq.join(" ").replace(/'s$/, "");
        bump(seqCount, key);
        if (seqPrev === "the") bump(seqThe, key);
        if (seqPrev === "in" || seqPrev === "from" || seqPrev === "to") bump(seqIn, key);
        if (/^(mr|mrs|ms)$/.test(seqPrev)) bump(seqMr, key);
        if (seq.length >= 2) bump(seqEnd, seq[seq.length - 1]!.replace(/'s$/, ""));
        if (seq.length === 2) {
          let next = pairNext.get(seq[0]!);
          if (!next) pairNext.set(seq[0]!, (next = new Map()));
          bump(next, seq[1]!.replace(/'s$/, ""));
        }
      }
      seq = [];
    };
    while ((m = WORD.exec(text))) {
      const w = m[0];
      const gap = text.slice(prevEnd, m.index);
      const abbrev = ABBREV.test(prevWord);
      const initial = prevEnd === 0 || /[\n!?"“”:]/.test(gap) || (gap.includes(".") && !abbrev);
      const lw = w.toLowerCase();
      const isCap = w[0]! >= "A" && w[0]! <= "Z";
      if (/[,;()\n"“”:!?]/.test(gap) || (gap.includes(".") && !abbrev)) flush();
      if (isCap && !initial) {
        bump(capMid, lw.replace(/'s$/, ""));
        if (seq.length === 0) seqPrev = prevWord.toLowerCase();
        seq.push(lw);
      } else {
        if (!isCap) bump(lower, lw);
        flush();
      }
      prevWord = w;
      prevEnd = m.index + m[0].length;
    }
    flush();
  }

  for (const raw of texts) countPronouns(raw);

  const common: string[] = [];
  const proper: string[] = [];
  const words = new Set([...lower.keys(), ...capMid.keys()]);
  for (const w of words) {
    const lo = lower.get(w) ?? 0;
    const ca = capMid.get(w) ?? 0;
    if (lo >= 3 && lo >= 1.5 * ca) common.push(w);
    else if (ca >= 3 && ca >= 4 * lo) proper.push(w);
  }

  const mostlyLower = (w: string): boolean =>
    (lower.get(w) ?? 0) >= (capMid.get(w) ?? 0) && (lower.get(w) ?? 0) >= 3;
  const plausibleFirstName = (n: string): boolean =>
    n.length >= 3 &&
    /^[a-z]+$/.test(n) &&
    !mostlyLower(n) &&
    !DAYS_MONTHS.has(n) &&
    !NEVER_NAME.has(n) &&
    !KNOWN.has(n) &&
    !HONORIFICS.has(n) &&
    !HONORIFICS.has(`${n}.`) &&
    !ROLE_HEADS.has(n) &&
    !ROLE_MODIFIERS.has(n) &&
    !ORGISH.has(n) &&
    !ORG_SUFFIXES.has(n) &&
    !speakerLast.has(n);
  const firstNames = [...first.entries()]
    .filter(([n, c]) => n.length >= 2 && !n.endsWith(".") && (firstDistinct.get(n)?.size ?? 0) >= 2 && c >= 2)
    .map(([n]) => n)
    .filter((n) => !mostlyLower(n) && !DAYS_MONTHS.has(n) && !NEVER_NAME.has(n) && !KNOWN.has(n));
  const known = new Set(firstNames);
  const isSurname = (w: string): boolean =>
    surnames.has(w) &&
    !mostlyLower(w) &&
    !KNOWN.has(w) &&
    !NOT_SURNAME_HEADS.has(w) &&
    !EVENT_HEADS.has(w) &&
    !ORG_SUFFIXES.has(w) &&
    !ORGISH.has(w);
  const textFirst: string[] = [];
  for (const [n, next] of pairNext) {
    if (known.has(n) || !plausibleFirstName(n)) continue;
    let pairs = 0;
    let before = 0;
    let distinct = 0;
    for (const [w, c] of next) {
      pairs += c;
      if (!isSurname(w)) continue;
      before += c;
      distinct++;
    }
    // mostly before surnames, seldom a last word itself ("Jenner"), almost never lower-case ("hurricane")
    if (distinct >= FIRST_NAME_MIN_SURNAMES && before >= 0.3 * pairs && (seqEnd.get(n) ?? 0) <= 0.2 * pairs)
      if ((lower.get(n) ?? 0) <= 0.05 * (capMid.get(n) ?? 0)) textFirst.push(n);
  }
  firstNames.push(...textFirst);
  log(`first names: ${known.size} from name lists, ${textFirst.length} more from text`);
  const female: string[] = [];
  const male: string[] = [];
  // Pronouns decide when they can; honorifics are weaker evidence ("Mr. Clinton" where only Hillary is named in
  // full), so they only add to the pronouns of a name the pronouns leave undecided.
  const genderOf = ([f, m]: readonly [number, number]): "female" | "male" | null =>
    f >= GENDER_MIN && f >= GENDER_RATIO * m
      ? "female"
      : m >= GENDER_MIN && m >= GENDER_RATIO * f
        ? "male"
        : null;
  for (const n of firstNames) {
    if (UNISEX.has(n)) continue;
    const [fp, mp] = pronounsOf.get(n) ?? [0, 0];
    const [fh, mh] = honorificsOf.get(n) ?? [0, 0];
    const g = genderOf([fp, mp]) ?? genderOf([fp + fh, mp + mh]);
    if (g === "female") female.push(n);
    else if (g === "male") male.push(n);
  }

  log(`first names: ${female.length} female, ${male.length} male by pronouns and honorifics`);
  const orgs: string[] = [];
  const gpes: string[] = [];
  const surnameOut = new Set(
    [...surnames.entries()]
      .filter(
        ([n]) =>
          !mostlyLower(n) && !KNOWN.has(n) && !DAYS_MONTHS.has(n) && !ORG_SUFFIXES.has(n) && !ORGISH.has(n),
      )
      .map(([n]) => n),
  );
  const properish = (q: string): boolean =>
    q.split(" ").every((w) => !mostlyLower(w) && !DAYS_MONTHS.has(w) && !NEVER_NAME.has(w));
  for (const [seq, c] of seqCount) {
    if (c < 4 || KNOWN.has(seq)) continue;
    const the = (seqThe.get(seq) ?? 0) / c;
    const inn = (seqIn.get(seq) ?? 0) / c;
    const firstWord = seq.split(" ")[0]!;
    if (first.has(firstWord) && seq.includes(" ")) continue;
    if ((seqMr.get(seq) ?? 0) >= 2 && !seq.includes(" ") && properish(seq)) surnameOut.add(seq);
    else if (the >= 0.5 && c >= 5 && !DAYS_MONTHS.has(firstWord) && (seq.includes(" ") || !mostlyLower(seq)))
      orgs.push(seq);
    else if (inn >= 0.5 && c >= 6 && the < 0.1 && seq.split(" ").length <= 3 && properish(seq))
      gpes.push(seq);
  }
  const roles = [...roleHeads.entries()]
    .filter(([w, c]) => c >= 3 && w.length > 2 && mostlyLower(w) && !ROLE_STOP.has(w) && !ORG_SUFFIXES.has(w))
    .map(([w]) => w);
  const famous = [...speakerLast.entries()]
    .filter(([w, c]) => c >= 5 && w.length > 2 && !mostlyLower(w) && !KNOWN.has(w))
    .map(([w]) => w)
    .sort();
  const personList = [...persons.entries()].filter(([, c]) => c >= 1).map(([n]) => n);
  const g: Gazetteer = {
    version: 1,
    firstNames: firstNames.sort(),
    surnames: [...surnameOut].sort(),
    persons: personList.sort(),
    famous,
    orgs: orgs.sort(),
    gpes: gpes.sort(),
    roleHeads: roles.sort(),
    common: common.sort(),
    proper: proper.sort(),
    female: female.sort(),
    male: male.sort(),
    stats: {
      texts: texts.length,
      liarRows,
      firstNames: firstNames.length,
      surnames: surnameOut.size,
      persons: personList.length,
      famous: famous.length,
      orgs: orgs.length,
      gpes: gpes.length,
      roleHeads: roles.length,
      common: common.length,
      proper: proper.length,
      female: female.length,
      male: male.length,
    },
  };
  return g;
}
