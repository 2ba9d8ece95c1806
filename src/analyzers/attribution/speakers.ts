// Speaker resolution: the literal source mention ("he", "The Russian leader", "Mr. Lavrov") is kept
// as the span; the name and type come from the entity it refers to within the document. Names are
// chained by surname; pronouns go to the last compatible PERSON subject (salience); descriptors go to
// the person whose titles and nationality fit ("America's top diplomat" -> "US Secretary of State Rex
// Tillerson"). When the entities layer is present its ids, names and types win.
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Claim, Entity } from "../../schema/analysis.js";
import { entityAt } from "../entities/lookup.js";
import { loadGazetteer } from "../entities/model.js";
import { lexicon } from "./lexicon.js";
import type { TokRange } from "./rules.js";

export type Speaker = NonNullable<Claim["speaker"]>;
type SType = "PERSON" | "ORG" | "GPE";

/** Subject pronouns only: an object or possessive after the verb is someone else ("Empire named her"). */
const PERSONAL_PRONOUNS = new Set(["she", "he"]);

interface Ent {
  name: string;
  type: SType;
  /** Lower-cased role words seen with this entity ("foreign", "minister", "secretary of state"). */
  roles: Set<string>;
  nationality: Set<string>;
  /** Every word of the titles seen with the entity ("polish", "president"), for descriptor matching. */
  quals: Set<string>;
  entityId?: string;
  /** Typed PERSON only by default (an unknown lone name): the entities layer may correct the type. */
  guessed?: boolean;
  /** Typed a person only by a pronoun after it: the entities layer may still call it MISC. */
  byPronoun?: boolean;
}

interface MentionEvent {
  start: number;
  ent: Ent;
  /** 3 = a claim's source, 2 = a subject outside claim contents, 1 = any other mention. */
  weight: number;
  sentence: number;
}

const P = POS;
const HONORIFICS = new Set([
  "mr.",
  "mrs.",
  "ms.",
  "dr.",
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof.",
  "sen.",
  "rep.",
  "gov.",
  "gen.",
]);
const FEMALE = new Set([
  "mrs.",
  "ms.",
  "mrs",
  "ms",
  "spokeswoman",
  "congresswoman",
  "chairwoman",
  "businesswoman",
  "queen",
  "princess",
  "madam",
  "lady",
  "dame",
]);
const MALE = new Set([
  "mr.",
  "mr",
  "spokesman",
  "congressman",
  "chairman",
  "businessman",
  "king",
  "prince",
  "sir",
  "lord",
]);
const RELATIVE = new Set(["who", "which", "that", "whom"]);
const ARTICLES = new Set(["a", "an", "the"]);
const POSSESSIVE = new Set(["his", "her", "their", "its", "our", "my", "your"]);
const AUTHOR: Speaker = { name: "the author", type: "AUTHOR" };
/**
 * Plural heads that denote countries ("The three countries are now asking for …", "both governments"): a
 * group of states the article names, not an unnamed source. Typed GPE; not linked to the countries.
 */
const COUNTRY_GROUPS = new Set(["countries", "nations", "states", "governments", "capitals", "powers"]);

export class SpeakerResolver {
  private readonly lex = lexicon();
  private readonly ents: Ent[] = [];
  private readonly bySurname = new Map<string, Ent>();
  private readonly byName = new Map<string, Ent>();
  /** Mention events in text order (names, plus resolved pronoun/descriptor sources). */
  private readonly events: MentionEvent[] = [];
  /** Name-run token ranges by start token, for resolving a source span to its entity. */
  private readonly runAt = new Map<number, { tokEnd: number; nameA: number; ent: Ent }>();
  /** Entities-layer mentions by end offset. */
  private readonly mentionsByEnd = new Map<number, { start: number; e: Entity }[]>();
  /** The entities-layer entity of each mention, by start offset. */
  private readonly layerAt = new Map<number, Entity>();
  /** Words tagged as names somewhere other than at a sentence start. */
  private readonly midNames = new Set<string>();
  /** Our entity for each id of the entities layer (when it ran). */
  private byEntityId = new Map<string, Ent>();

  constructor(private readonly doc: Doc) {
    this.build();
  }

  // ---- mention table ---------------------------------------------------------------------------

  private build(): void {
    this.indexEntitiesLayer();
    const doc = this.doc;
    const { norm, pos, start } = doc.tokens;
    const n = doc.tokens.count;
    const lex = this.lex;
    const runs: { a: number; b: number; nameA: number }[] = [];
    const text = doc.text;
    const titleAt = (k: number) => lex.personTitles.has(norm[k]!) || lex.nationality.has(norm[k]!);
    const cap = (k: number) => {
      const ch = text[start[k]!]!;
      return ch >= "A" && ch <= "Z";
    };
    // Names seen inside a sentence (so "Sanders said" at a sentence start stays a name).
    const midNames = this.midNames;
    for (let i = 0; i < n; i++) {
      if (pos[i] === P.PROPN && doc.sentences[doc.tokens.sentence[i]!]!.tokStart !== i)
        midNames.add(norm[i]!);
    }
    const layerChecked = doc.layers.entities !== undefined;
    for (let i = 0; i < n; i++) {
      if (pos[i] !== P.PROPN) continue;
      let b = i + 1;
      const sentence = doc.tokens.sentence[i]!;
      while (b < n && doc.tokens.sentence[b] === sentence) {
        // A capitalised word right after a name is part of it even when wink tags it otherwise ("Ben Ward/VERB").
        if (
          pos[b] === P.PROPN ||
          (cap(b) &&
            pos[b] !== P.PUNCT &&
            pos[b] !== P.PRON &&
            pos[b] !== P.DET &&
            doc.tokens.end[b - 1]! < start[b]! &&
            !lex.cueVerbs.has(norm[b]!))
        )
          b++;
        else if (lex.nameParticles.has(norm[b]!) && b + 1 < n && pos[b + 1] === P.PROPN) b += 2;
        else if (norm[b] === "-" && doc.tokens.end[b - 1] === start[b] && b + 1 < n && pos[b + 1] === P.PROPN)
          b += 2;
        else break;
      }
      // Strip leading titles and nationality words: "Russian Foreign Minister Sergei Lavrov".
      let nameA = i;

      // Titles, and modifiers of a title ("Polish" in "Polish President Adam Nowak").
      while (nameA < b && (titleAt(nameA) || (nameA + 1 < b - 1 && titleAt(nameA + 1)))) nameA++;
      // Only titles ("Russian Foreign Minister"): a descriptor, not a name; a lone demonym/country stays a name.
      if (nameA === b) {
        // "Mr. King": after an honorific the last word is a name even when it is also a title.
        if (b - i >= 2 && HONORIFICS.has(norm[b - 2]!)) nameA = b - 1;
        else nameA = b - i === 1 && lex.nationality.has(norm[i]!) ? i : -1;
      }
      // A sentence-initial common word ("Officials said", "Sources say", "Police said") is no name: nor is
      // any lone word capitalised only there that the entities layer did not take for a name.
      if (
        b - i === 1 &&
        doc.sentences[sentence]!.tokStart === i &&
        ((layerChecked &&
          !midNames.has(norm[i]!) &&
          !this.layerAt.has(start[i]!) &&
          !lex.gpe.has(norm[i]!) &&
          !lex.orgWords.has(norm[i]!)) ||
          lex.anonymousHeads.has(norm[i]!) ||
          lex.personTitles.has(norm[i]!) ||
          (norm[i]!.endsWith("s") &&
            norm[i]!.length > 4 &&
            !midNames.has(norm[i]!) &&
            !lex.gpe.has(norm[i]!) &&
            !lex.orgWords.has(norm[i]!)))
      ) {
        i = b - 1;
        continue;
      }
      // A lone capitalised modifier before a common noun ("Polish leader", "Trump administration") is no name.
      const modifier =
        b - i === 1 && b < n && pos[b] === P.NOUN && !lex.gpe.has(norm[i]!) && !lex.orgWords.has(norm[i]!);
      if (nameA >= 0 && !modifier) runs.push({ a: i, b, nameA });
      i = b - 1;
    }
    const pending: { run: (typeof runs)[number]; key: string; tokens: string[] }[] = [];
    for (const run of runs) {
      const tokens: string[] = [];
      for (let k = run.nameA; k < run.b; k++) tokens.push(norm[k]!);
      const key = tokens.join(" ");
      if (tokens.length === 1 && lex.notNames.has(key)) continue;
      pending.push({ run, key, tokens });
    }
    // Pass 1: full names and typed entities; pass 2: surnames link to full names anywhere in the doc.
    for (const pass of [1, 2]) {
      for (const { run, key, tokens } of pending) {
        if (this.runAt.has(run.a)) continue;
        const titled = run.nameA > run.a || this.titleBefore(run.a);
        let ent: Ent | undefined = this.byName.get(key);
        if (!ent) {
          const type = this.classify(tokens, titled, run);
          if (!type) {
            if (pass === 1) continue;
            const sur = this.bySurname.get(tokens[tokens.length - 1]!);
            // A name the entities layer knows as something other than a person ("Netflix": MISC) is an
            // organisation-like source, not a guessed person.
            const known = this.layerAt.get(start[run.nameA]!)?.type;
            if (sur && tokens.length === 1) ent = sur;
            else if (known && known !== "PERSON") {
              const person = known !== "GPE" && tokens.length === 1 && this.personPronounAfter(run.b);
              ent = this.addEnt(
                this.surface(run.nameA, run.b),
                person ? "PERSON" : known === "GPE" ? "GPE" : "ORG",
                key,
              );
              if (person) ent.byPronoun = true;
            } else {
              ent = this.addEnt(this.surface(run.nameA, run.b), "PERSON", key);
              ent.guessed = true;
            }
          } else if (type === "PERSON" && tokens.length === 1) {
            if (pass === 1) continue;
            ent = this.bySurname.get(key) ?? this.addEnt(this.surface(run.nameA, run.b), "PERSON", key);
          } else {
            const display =
              type === "GPE"
                ? (this.countryName(key) ?? this.surface(run.nameA, run.b))
                : this.surface(run.nameA, run.b);
            ent = this.byName.get(display.toLowerCase()) ?? this.addEnt(display, type, key);
            this.byName.set(key, ent);
          }
        }
        this.collectRoles(ent, run);
        this.runAt.set(run.a, { tokEnd: run.b, nameA: run.nameA, ent });
        const sentence = doc.tokens.sentence[run.a]!;
        this.events.push({
          start: start[run.a]!,
          ent,
          weight: this.isSubject(run.a, run.b) ? 2 : 1,
          sentence,
        });
      }
    }
    this.events.sort((x, y) => x.start - y.start);
    this.attachEntitiesLayer();
  }

  /**
   * A lone name no list knows ("Angie", "Netflix") is a person when a personal pronoun follows it in its sentence
   * before any neuter one or other name ("Angie said she was terrified"; "Netflix said it would …" stays an organisation).
   */
  private personPronounAfter(b: number): boolean {
    const { norm, sentence, pos } = this.doc.tokens;
    const s = sentence[b - 1]!;
    // Only the subject of a verb ("Angie said she …"), not a name the pronoun's clause follows ("show Suits, she said").
    if (b >= norm.length || sentence[b] !== s || (pos[b] !== P.VERB && pos[b] !== P.AUX)) return false;
    // Up to the next name, which could be the pronoun's antecedent instead ("Netflix told Smith his …").
    for (let k = b; k < Math.min(b + 8, norm.length) && sentence[k] === s && pos[k] !== P.PROPN; k++) {
      const w = norm[k]!;
      if (PERSONAL_PRONOUNS.has(w)) return true;
      if (w === "it" || w === "its" || w === "they" || w === "their" || w === "we" || w === "our")
        return false;
    }
    return false;
  }

  private surface(a: number, b: number): string {
    return this.doc.text.slice(this.doc.tokens.start[a]!, this.doc.tokens.end[b - 1]!);
  }

  private countryName(key: string): string | undefined {
    if (this.lex.capitals.has(key)) return undefined;
    const code = this.lex.nationality.get(key);
    return code ? this.lex.countryNames.get(code) : undefined;
  }

  private addEnt(name: string, type: SType, key: string): Ent {
    const ent: Ent = { name, type, roles: new Set(), nationality: new Set(), quals: new Set() };
    this.ents.push(ent);
    this.byName.set(key, ent);
    this.byName.set(name.toLowerCase(), ent);
    if (type === "PERSON") {
      const parts = key.split(" ");
      if (parts.length >= 2) {
        const sur = parts[parts.length - 1]!;
        if (!this.bySurname.has(sur)) this.bySurname.set(sur, ent);
      }
    }
    return ent;
  }

  private titleBefore(a: number): boolean {
    if (a === 0) return false;
    const nm = this.doc.tokens.norm[a - 1]!;
    return this.lex.personTitles.has(nm) && this.doc.tokens.pos[a - 1] !== P.DET;
  }

  private classify(
    tokens: string[],
    titled: boolean,
    run: { a: number; b: number; nameA: number },
  ): SType | null {
    const lex = this.lex;
    const key = tokens.join(" ");
    if (lex.gpe.has(key) || lex.nationality.has(key)) {
      // A demonym before a noun is a modifier, not a speaker ("Russian President").
      return "GPE";
    }
    const last = tokens[tokens.length - 1]!;
    if (lex.placeWords.has(last)) return "GPE";
    if (tokens.some((t) => lex.orgWords.has(t)) || lex.thingWords.has(last)) return "ORG";
    const surface = this.surface(run.nameA, run.b);
    if (/^[A-Z0-9.&-]{2,}$/.test(surface.replace(/\s+/g, ""))) return "ORG";
    if (titled) return "PERSON";
    if (tokens.length >= 2 && tokens.length <= 4) return "PERSON";
    return null;
  }

  /** Titles before the name (up to 6 tokens: "US Secretary of State"), possessive nationality, appositive roles. */
  private collectRoles(ent: Ent, run: { a: number; b: number; nameA: number }): void {
    if (ent.type !== "PERSON") return;
    const { norm, pos } = this.doc.tokens;
    const lex = this.lex;
    const words: string[] = [];
    for (let k = run.a; k < run.nameA; k++) words.push(norm[k]!);
    for (let k = run.a - 1; k >= Math.max(0, run.a - 6); k--) {
      const nm = norm[k]!;
      if (
        lex.personTitles.has(nm) ||
        lex.nationality.has(nm) ||
        nm === "of" ||
        nm === "'s" ||
        pos[k] === P.ADJ
      )
        words.unshift(nm);
      else if (pos[k] === P.PROPN && k + 1 < this.doc.tokens.count && norm[k + 1] === "'s") words.unshift(nm);
      else break;
    }
    // Appositive: "Dmitry Peskov, Kremlin's spokesman".
    if (run.b + 1 < this.doc.tokens.count && norm[run.b] === ",") {
      for (let k = run.b + 1; k < Math.min(this.doc.tokens.count, run.b + 6); k++) {
        const nm = norm[k]!;
        if (
          lex.personTitles.has(nm) ||
          lex.nationality.has(nm) ||
          nm === "'s" ||
          pos[k] === P.ADJ ||
          pos[k] === P.DET ||
          pos[k] === P.PROPN ||
          nm === "of"
        )
          words.push(nm);
        else break;
      }
    }
    const joined = words.join(" ");
    for (const w of words) {
      ent.quals.add(w);
      if (lex.personTitles.has(w)) ent.roles.add(w);
      const code = lex.nationality.get(w);
      if (code) ent.nationality.add(code);
    }
    if (joined.includes("secretary of state")) ent.roles.add("secretary of state");
  }

  /** A mention is a subject when a verb follows (after an optional appositive) or it starts the sentence. */
  private isSubject(a: number, b: number): boolean {
    const { pos, norm, sentence } = this.doc.tokens;
    const n = this.doc.tokens.count;
    let k = b;
    if (k < n && norm[k] === ",") {
      let q = k + 1;
      while (q < n && q - k < 12 && norm[q] !== "," && pos[q] !== P.VERB) q++;
      if (q < n && norm[q] === ",") k = q + 1;
    }
    while (k < n && (pos[k] === P.ADV || pos[k] === P.AUX)) {
      if (pos[k] === P.AUX) return true;
      k++;
    }
    if (k < n && pos[k] === P.VERB) return true;
    const s = sentence[a]!;
    return this.doc.sentences[s]!.tokStart === a;
  }

  /**
   * When the entities stage ran, adopt its ids, names and types for the name part of each run, and
   * merge our entities that it says are one (their titles and nationalities pooled).
   */
  /** Mentions of the entities layer (when the stage ran) by start and by end offset. */
  private indexEntitiesLayer(): void {
    for (const e of this.doc.layers.entities ?? [])
      for (const m of e.mentions) {
        const list = this.mentionsByEnd.get(m.end);
        if (list) list.push({ start: m.start, e });
        else this.mentionsByEnd.set(m.end, [{ start: m.start, e }]);
        this.layerAt.set(m.start, e);
      }
  }

  private attachEntitiesLayer(): void {
    const layer: Entity[] | undefined = this.doc.layers.entities;
    if (!layer || layer.length === 0) return;
    const { start, end } = this.doc.tokens;
    // The entity of each token (longest mention wins).
    const tokEnt = new Array<Entity | undefined>(this.doc.tokens.count);
    const tokLen = new Int32Array(this.doc.tokens.count);
    for (const e of layer) {
      for (const m of e.mentions) {
        const len = m.end - m.start;
        for (let t = this.doc.tokenAtOrAfter(m.start); t < this.doc.tokens.count && start[t]! < m.end; t++) {
          if (len > tokLen[t]!) {
            tokEnt[t] = e;
            tokLen[t] = len;
          }
        }
      }
    }
    const canonical = new Map<string, Ent>();
    const remap = new Map<Ent, Ent>();
    for (const [, r] of this.runAt) {
      // The entity of the name's last token; entityAt() only when the tokens disagree.
      const first = tokEnt[r.nameA];
      const last = tokEnt[r.tokEnd - 1];
      const hit = first === last ? last : entityAt(this.doc, start[r.nameA]!, end[r.tokEnd - 1]!);
      if (!hit) continue;
      const ent = remap.get(r.ent) ?? r.ent;
      const type: SType | null =
        hit.type === "PERSON" || hit.type === "ORG" || hit.type === "GPE"
          ? hit.type
          : hit.type === "LOC" || hit.type === "NORP"
            ? "GPE"
            : null;
      // Only a compatible entity: a country run inside "Russia's Foreign Minister" is not the minister.
      // A lone name we only guessed to be a person takes the entities layer's type ("in Halden": a place).
      if ((ent.type === "PERSON") !== (hit.type === "PERSON") && !(ent.byPronoun && hit.type === "MISC")) {
        if (!(ent.guessed && type && type !== "PERSON" && r.nameA === r.tokEnd - 1)) continue;
        ent.type = type;
        ent.guessed = false;
      }
      const into = canonical.get(hit.id);
      if (into && into !== ent) {
        for (const x of ent.roles) into.roles.add(x);
        for (const x of ent.nationality) into.nationality.add(x);
        for (const x of ent.quals) into.quals.add(x);
        remap.set(r.ent, into);
        continue;
      }
      canonical.set(hit.id, ent);
      remap.set(r.ent, ent);
      ent.entityId = hit.id;
      ent.name = hit.name;
      if (type) ent.type = type;
      for (const role of hit.roles ?? []) {
        for (const w of role
          .toLowerCase()
          .replace(/’/g, "'")
          .split(/\s+|(?='s\b)/)) {
          const word = w.replace(/'s$/, "");
          if (this.lex.personTitles.has(word)) ent.roles.add(word);
          const code = this.lex.nationality.get(word);
          if (code) ent.nationality.add(code);
          ent.quals.add(word);
        }
        if (/secretary of state/i.test(role)) ent.roles.add("secretary of state");
      }
    }
    this.byEntityId = canonical;
    if (remap.size === 0) return;
    for (const r of this.runAt.values()) r.ent = remap.get(r.ent) ?? r.ent;
    for (const ev of this.events) ev.ent = remap.get(ev.ent) ?? ev.ent;
    for (let k = this.ents.length - 1; k >= 0; k--)
      if ((remap.get(this.ents[k]!) ?? this.ents[k]) !== this.ents[k]) this.ents.splice(k, 1);
  }

  // ---- resolution ------------------------------------------------------------------------------

  /**
   * Resolves a source mention (tokens) to a speaker; `name` is the name-bearing part of an appositive. A pronoun
   * never refers to a name inside `content`, the claim it introduces: in "“… at the head of Donald Trump’s
   * campaign …,” he said", he is not Trump.
   */
  resolve(
    source: TokRange,
    nameRange?: TokRange,
    inQuote = false,
    content: readonly { start: number; end: number }[] = [],
  ): Speaker {
    const doc = this.doc;
    const { norm, pos, start, end } = doc.tokens;
    const span = { start: start[source.tokStart]!, end: end[source.tokEnd - 1]! };
    const text = doc.text.slice(span.start, span.end);
    let where = nameRange ?? source;
    // "Trump's": the possessor is the speaker.
    if (where.tokEnd - where.tokStart > 1 && norm[where.tokEnd - 1] === "'s")
      where = { tokStart: where.tokStart, tokEnd: where.tokEnd - 1 };
    const sentence = doc.tokens.sentence[source.tokStart]!;
    // "…, who said": a relative pronoun stands for the phrase before it.
    if (source.tokEnd - source.tokStart === 1 && RELATIVE.has(norm[source.tokStart]!)) {
      let k = source.tokStart - 1;
      if (k >= 0 && (norm[k] === "," || norm[k] === "--" || norm[k] === "—")) k--;
      for (let a = k; a >= Math.max(0, k - 5); a--) {
        const r = this.runAt.get(a);
        if (r && r.tokEnd === k + 1) return this.out(r.ent, span, sentence);
      }
      // No name: the noun phrase before it speaks ("Scott's relatives, who asked", "the study -- which notes");
      // the speaker's span stays on the pronoun, as for "he".
      const np = this.phraseEndingAt(k, sentence);
      if (np) return { ...this.resolve(np, undefined, inQuote, content), ...span };
      return { name: text, type: "ANONYMOUS", ...span };
    }
    // "a G7 foreign ministers' meeting in Italy": the phrase's head speaks, not a place or organisation
    // named in its modifier; with no name in the head part, the phrase itself names the speaker.
    const headPart = this.headPart(where);
    if (headPart === "name") return { name: text.replace(/^the\s+/i, ""), type: "ORG", ...span };
    if (headPart) where = headPart;
    // A name run inside the mention: a person anywhere ("Russia's Foreign Minister Sergei Lavrov"),
    // an organisation or country only as the head ("the US", not "Rex Tillerson's visit in Moscow").
    const headTok = where.tokEnd - 1;
    const head = norm[headTok]!;
    // The entities layer links names and descriptors ("The Russian leader", "America's top diplomat"):
    // a mention of it that ends the source phrase decides.
    if (pos[headTok] !== P.PRON) {
      const fromLayer = this.layerEntity(start[where.tokStart]!, end[headTok]!);
      if (fromLayer) return this.out(fromLayer, span, sentence);
    }
    let named: Ent | null = null;
    for (let a = where.tokStart; a < where.tokEnd; a++) {
      const r = this.runAt.get(a);
      if (!r) continue;
      if (r.tokEnd === where.tokEnd || (r.ent.type === "PERSON" && this.isRoleNoun(head))) named = r.ent;
      a = r.tokEnd - 1;
    }
    if (named && (pos[headTok] === P.PROPN || named.type === "PERSON" || !this.isRoleNoun(head))) {
      return this.out(named, span, sentence);
    }
    if (!named && source.tokEnd - source.tokStart === 1 && this.lex.anonymousHeads.has(head)) {
      return { name: text, type: "ANONYMOUS", ...span };
    }
    if (pos[headTok] === P.PRON || (source.tokEnd - source.tokStart === 1 && this.lex.pronouns.has(head))) {
      return this.pronoun(head, span, sentence, inQuote, text, content);
    }
    // wink keeps "I'm" as one proper-noun token: it is the pronoun "I".
    if (source.tokEnd - source.tokStart === 1 && head === "i'm") {
      return this.pronoun("i", span, sentence, inQuote, text, content);
    }
    // Descriptors: "The Russian leader", "America's top diplomat", "the spokesman".
    const words: string[] = [];
    for (let k = source.tokStart; k < source.tokEnd; k++) words.push(norm[k]!);
    const indefinite =
      words[0] === "a" ||
      words[0] === "an" ||
      words[0] === "some" ||
      words[0] === "several" ||
      words[0] === "many";
    if (this.lex.anonymousHeads.has(head) && (indefinite || head.endsWith("s") || !this.isRoleNoun(head))) {
      return { name: text, type: "ANONYMOUS", ...span };
    }
    if (this.isRoleNoun(head)) {
      // "a reporter who asked", "A reporter said": an indefinite phrase introduces someone new, not the last
      // person named; only a title that fits a known person links it ("A New York judge" … Judge Frank Nervo).
      const ent = this.descriptor(words, span.start, sentence, !indefinite);
      if (ent) return this.out(ent, span, sentence);
      return { name: text, type: "ANONYMOUS", ...span };
    }
    if (!named && pos[headTok] === P.NOUN && COUNTRY_GROUPS.has(head)) {
      return { name: text, type: "GPE", ...span };
    }
    // Organisations in the plural ("the two companies", "both parties"): organisations, not anonymous people.
    if (!named && pos[headTok] === P.NOUN && this.orgPlural(head)) {
      return { name: text, type: "ORG", ...span };
    }
    // An unnamed group ("38 White House conservatives", "other candidates") is an anonymous source.
    if (!named && pos[headTok] === P.NOUN && head.endsWith("s") && !this.lex.orgWords.has(head)) {
      return { name: text, type: "ANONYMOUS", ...span };
    }
    if (this.lex.orgWords.has(head) || named) {
      if (named) return this.out(named, span, sentence);
      return { name: text.replace(/^the\s+/i, ""), type: "ORG", ...span };
    }
    // A plural group ("Veterans", "Democrats" at a sentence start): unnamed.
    if (
      !named &&
      source.tokEnd - source.tokStart === 1 &&
      !this.midNames.has(head) &&
      head.endsWith("s") &&
      head.length > 4
    ) {
      return { name: text, type: "ANONYMOUS", ...span };
    }
    // Any other noun phrase (a report, the newspaper): an unnamed organisation-like source. A lone capitalised
    // word opening a sentence ("Police said") is a common noun the tagger took for a name, not a person.
    // (The head itself may be that word: "Representatives for Netflix".)
    const s0 = this.doc.sentences[sentence]?.tokStart;
    const capitalOnlyAtStart =
      (source.tokEnd - source.tokStart === 1 && source.tokStart === s0) ||
      (headTok === s0 && !this.midNames.has(head));
    // "A Quinnipiac University poll released in early April" is no person either: a name ends it, but the
    // phrase opens with a determiner.
    // Nor is "Representatives for Netflix" when the name ending it is an organisation.
    let headRun: Ent | null = null;
    for (let a = source.tokStart; a <= headTok; a++) {
      const r = this.runAt.get(a);
      if (r && r.tokEnd === headTok + 1) headRun = r.ent;
    }
    const person =
      pos[headTok] === P.PROPN &&
      pos[source.tokStart] !== P.DET &&
      !capitalOnlyAtStart &&
      (!headRun || headRun.type === "PERSON");
    return { name: text.replace(/^the\s+/i, ""), type: person ? "PERSON" : "ORG", ...span };
  }

  /**
   * The head part of a mention cut before a preposition, relative pronoun or comma that follows a noun,
   * when the tail names no person and the head is neither a title ("spokesman for the campaign": the
   * campaign speaks through him) nor inside a name ("Secretary of State"); "name" for "the Bank of America".
   */
  private headPart(where: TokRange): TokRange | "name" | null {
    const { norm, pos, start } = this.doc.tokens;
    const text = this.doc.text;
    const upper = (i: number) => {
      const c = text.charCodeAt(start[i]!);
      return c >= 65 && c <= 90;
    };
    for (let k = where.tokStart + 1; k < where.tokEnd - 1; k++) {
      const cut = (pos[k] === P.ADP && norm[k] !== "'s") || RELATIVE.has(norm[k]!) || norm[k] === ",";
      if (!cut) continue;
      if (pos[k - 1] !== P.NOUN && pos[k - 1] !== P.PROPN) return null;
      if (this.isRoleNoun(norm[k - 1]!) || this.lex.anonymousHeads.has(norm[k - 1]!)) return null;
      let headPerson = false;
      let tailPerson = false;
      for (const [a, r] of this.runAt) {
        if (a < k && r.tokEnd > k) return null; // the preposition is part of a name
        if (r.ent.type !== "PERSON" || a < where.tokStart || a >= where.tokEnd) continue;
        if (a < k) headPerson = true;
        else tailPerson = true;
      }
      // "the wife of John Smith": a person named in the tail is the speaker's anchor; keep the whole.
      if (tailPerson && !headPerson) return null;
      // "the Bank of America", "the University of Michigan": one organisation's name.
      if (!headPerson && norm[k] === "of" && pos[k - 1] === P.PROPN && upper(k - 1) && upper(k + 1))
        return "name";
      return { tokStart: where.tokStart, tokEnd: k };
    }
    return null;
  }

  private layerEntity(a: number, b: number): Ent | null {
    if (this.mentionsByEnd.size === 0) return null;
    let best: Entity | null = null;
    let bestLen = 0;
    for (const endAt of [b, b - 1]) {
      for (const m of this.mentionsByEnd.get(endAt) ?? []) {
        const e = m.e;
        if (e.type !== "PERSON" && e.type !== "ORG" && e.type !== "GPE") continue;
        if (m.start < a) continue;
        if (endAt - m.start > bestLen) {
          best = e;
          bestLen = endAt - m.start;
        }
      }
    }
    if (!best) return null;
    let ent = this.byEntityId.get(best.id);
    if (!ent) {
      ent = {
        name: best.name,
        type: best.type as SType,
        roles: new Set(),
        nationality: new Set(),
        quals: new Set(),
        entityId: best.id,
      };
      this.ents.push(ent);
      this.byEntityId.set(best.id, ent);
    }
    return ent;
  }

  /** The plural of an organisation word: "companies", "agencies", "parties", "committees". */
  private orgPlural(w: string): boolean {
    if (w.length < 4 || !w.endsWith("s")) return false;
    const org = this.lex.orgWords;
    return (w.endsWith("ies") && org.has(w.slice(0, -3) + "y")) || org.has(w.slice(0, -1));
  }

  private isRoleNoun(w: string): boolean {
    if (!this.lex.personTitles.has(w)) return false;
    return ![
      "foreign",
      "defense",
      "defence",
      "state",
      "prime",
      "vice",
      "deputy",
      "top",
      "former",
      "press",
      "national",
      "security",
      "senior",
      "white",
      "house",
      "interior",
      "finance",
      "health",
      "executive",
      "assistant",
    ].includes(w);
  }

  private out(ent: Ent, span: { start: number; end: number }, sentence: number): Speaker {
    const known = this.events.find((e) => e.start === span.start);
    if (known) {
      known.ent = ent;
      known.weight = 3;
    } else {
      this.events.push({ start: span.start, ent, weight: 3, sentence });
      this.events.sort((x, y) => x.start - y.start);
    }
    return { name: ent.name, type: ent.type, ...(ent.entityId && { entityId: ent.entityId }), ...span };
  }

  private pronoun(
    w: string,
    span: { start: number; end: number },
    sentence: number,
    inQuote: boolean,
    text: string,
    content: readonly { start: number; end: number }[],
  ): Speaker {
    const kind = this.lex.pronouns.get(w);
    const outside = (ev: MentionEvent) => !content.some((c) => ev.start >= c.start && ev.start < c.end);
    // "“…” he said" after a quote of several sentences: the referent was salient where the quote began.
    const first = content.reduce((m, c) => Math.min(m, c.start), Infinity);
    const at = Math.min(first, span.start);
    const from = at < span.start ? this.doc.sentenceAt(at) : sentence;
    if ((w === "i" || w === "we") && !inQuote) return { ...AUTHOR, ...span };
    if (kind === "PERSON") {
      // Gender from titles ("Mrs.", "spokeswoman", "Mr.", "congressman") and from first names the corpus refers
      // back to as "she" / "he" (models/entities); unknown fits both.
      const female = w === "she" || w === "her";
      const other = female ? loadGazetteer().male : loadGazetteer().female;
      const clash = (e: Ent) =>
        [...e.quals].some((q) => (female ? MALE : FEMALE).has(q)) ||
        (e.type === "PERSON" && e.name.includes(" ") && other.has(e.name.split(" ")[0]!.toLowerCase()));
      const ent = this.salient(at, from, (e) => e.type === "PERSON" && !clash(e), 6, outside);
      if (ent) return this.out(ent, span, sentence);
      return { name: text, type: "ANONYMOUS", ...span };
    }
    if (kind === "PLURAL" || kind === "THING") {
      const ent = this.salient(at, from, (e) => e.type !== "PERSON", 2, outside);
      if (ent) return this.out(ent, span, sentence);
    }
    return { name: text, type: "ANONYMOUS", ...span };
  }

  /** The noun phrase ending at token k ("his second wife", "the Saudi government"), within the sentence. */
  private phraseEndingAt(k: number, sentence: number): TokRange | null {
    const { pos, norm } = this.doc.tokens;
    if (k < 0 || this.doc.tokens.sentence[k] !== sentence || (pos[k] !== P.NOUN && pos[k] !== P.PROPN))
      return null;
    let a = k;
    while (a > 0 && k - a < 6 && this.doc.tokens.sentence[a - 1] === sentence) {
      const p = pos[a - 1];
      const w = norm[a - 1]!;
      const fits =
        p === P.NOUN ||
        p === P.PROPN ||
        p === P.ADJ ||
        p === P.NUM ||
        p === P.DET ||
        w === "'s" ||
        POSSESSIVE.has(w);
      if (!fits) break;
      a--;
      // A determiner or possessive pronoun opens the phrase.
      if (p === P.DET || POSSESSIVE.has(w)) break;
    }
    return { tokStart: a, tokEnd: k + 1 };
  }

  /** Mentions inside these spans (claim contents) count as plain mentions, not subjects. */
  setContents(spans: readonly { start: number; end: number }[]): void {
    for (const ev of this.events) {
      if (ev.weight === 2 && spans.some((sp) => ev.start >= sp.start && ev.start < sp.end)) ev.weight = 1;
    }
  }

  /**
   * Salience (centering-like): going back sentence by sentence from `at` (at most `window`), the first
   * sentence with a compatible mention gives its heaviest one (a claim's source, then a subject outside
   * claim contents, then any mention; ties go to the earliest, the main-clause subject).
   */
  private salient(
    at: number,
    sentence: number,
    ok: (e: Ent) => boolean,
    window = 6,
    where: (ev: MentionEvent) => boolean = () => true,
  ): Ent | null {
    let best: MentionEvent | null = null;
    for (let k = this.events.length - 1; k >= 0; k--) {
      const ev = this.events[k]!;
      if (ev.start >= at || !where(ev)) continue;
      if (sentence - ev.sentence > window) break;
      if (best && ev.sentence !== best.sentence) break;
      if (!ok(ev.ent)) continue;
      if (!best || ev.weight >= best.weight) best = ev;
    }
    return best ? best.ent : null;
  }

  private roleClasses(words: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const list = [...words];
    const joined = list.join(" ");
    for (const [cls, members] of this.lex.roleClasses) {
      for (const m of members) {
        if (m.includes(" ") ? joined.includes(m) : list.includes(m)) out.add(cls);
      }
    }
    return out;
  }

  /** The PERSON a role description fits best (role class, nationality), ties broken by salience. */
  private descriptor(words: string[], at: number, sentence: number, fallback = true): Ent | null {
    const want = this.roleClasses(
      words.filter(
        (w) => this.isRoleNoun(w) || w === "foreign" || w === "state" || w === "prime" || w === "press",
      ),
    );
    const nat = new Set<string>();
    for (const w of words) {
      const code = this.lex.nationality.get(w);
      if (code) nat.add(code);
    }
    let best: Ent | null = null;
    let bestScore = 0;
    let bestDist = Infinity;
    for (const e of this.ents) {
      if (e.type !== "PERSON") continue;
      const have = this.roleClasses(e.roles);
      let score = 0;
      for (const c of want) if (have.has(c)) score += 2;
      for (const c of nat) {
        if (e.nationality.has(c)) score += 1;
        else if (e.nationality.size > 0) score -= 3;
      }
      // Other shared modifiers ("Polish" in "the Polish leader" and "Polish President Adam Nowak").
      for (const w of words)
        if (
          !ARTICLES.has(w) &&
          !this.lex.nationality.has(w) &&
          !this.lex.personTitles.has(w) &&
          e.quals.has(w)
        )
          score += 1;
      if (score <= 0) continue;
      // Salience: nearest preceding mention, else nearest following one.
      let dist = Infinity;
      for (const ev of this.events) {
        if (ev.ent !== e) continue;
        const d = ev.start < at ? at - ev.start : 10 * (ev.start - at);
        if (d < dist) dist = d;
      }
      if (score > bestScore || (score === bestScore && dist < bestDist)) {
        best = e;
        bestScore = score;
        bestDist = dist;
      }
    }
    if (best || !fallback) return best;
    // No titled fit: a generic person role ("the leader") goes to the last person the entities layer
    // recognised (not to a capitalised common word taken for a name, "Police said …").
    return this.salient(at, sentence, (e) => e.type === "PERSON" && e.entityId !== undefined);
  }
}
