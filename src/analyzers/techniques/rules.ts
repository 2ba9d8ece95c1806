// A small hand-written rule layer beside the learned model, for wording PTC's 283 articles rarely show
// but that fact-checkers read as persuasion. Every list is general English usage (not taken from any
// test article); each rule has its own fixed confidence, lower than a confident model prediction.
//
// - INTENSIFIER_ADVERBS + the word they modify ("shockingly admitted")         -> Loaded_Language
// - SENSATIONAL_ADJECTIVES + the noun they qualify ("preposterous allegation")  -> Loaded_Language
// - LOADED_IDIOMS, fixed expressions that pass judgement ("witch hunt")        -> Loaded_Language
// - EPITHETS after a possessive or determiner ("the regime's henchmen")         -> Name_Calling,Labeling
// - a sentence joining an INEVITABILITY word to a THREAT word ("war is inevitable") -> Appeal_to_fear-prejudice
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { TechniqueName } from "../../schema/analysis.js";

export interface RuleHit {
  technique: TechniqueName;
  start: number;
  end: number;
  confidence: number;
  /** Completes "The phrase "…" " into the explanation sentence. */
  reason: string;
}

const INTENSIFIER_ADVERBS = new Set(
  (
    "sensationally astonishingly shockingly outrageously staggeringly brazenly shamelessly blatantly ridiculously " +
    "absurdly preposterously ludicrously insanely disgracefully stunningly unbelievably incredibly hysterically " +
    "wildly grotesquely obscenely breathtakingly spectacularly wickedly viciously savagely"
  ).split(" "),
);

const SENSATIONAL_ADJECTIVES = new Set(
  (
    "outlandish astonishing shocking outrageous absurd ridiculous bizarre preposterous ludicrous insane crazy " +
    "hysterical disgraceful despicable heinous vile stunning staggering explosive sensational unhinged deranged " +
    "laughable appalling horrific monstrous barbaric sinister nefarious wicked pathetic disgusting scandalous " +
    "shameful shameless brazen blatant grotesque obscene farcical idiotic moronic lunatic diabolical evil"
  ).split(" "),
);

/** Idioms as lower-case regex sources (word boundaries added); hyphen/space variants allowed. */
const LOADED_IDIOMS = [
  "caught red[- ]handed",
  "witch[- ]hunts?",
  "smoking gun",
  "slap in the face",
  "stab(?:bed)? in the back",
  "crocodile tears",
  "house of cards",
  "drain the swamp",
  "playing with fire",
  "add(?:s|ed|ing)? insult to injury",
  "(?:pour|pouring|poured) (?:fuel|oil) on the fire",
  "dog[- ]whistle",
  "knee[- ]jerk",
  "kangaroo court",
  "whitewash(?:ed|ing)?",
  "hell[- ]bent",
  "blood on (?:their|his|her|your) hands",
  "a slap on the wrist",
  "sold (?:us|them) out",
  "tip of the iceberg",
  "opened? the floodgates",
  "(?:a )?bombshell",
  "meltdown",
  "pulling the strings",
  "throw(?:n|s)? under the bus",
];

const EPITHETS = new Set(
  (
    "strongman strongmen dictator dictators tyrant tyrants despot despots thug thugs puppet puppets warmonger " +
    "warmongers traitor traitors henchman henchmen crony cronies stooge stooges zealot zealots lunatic lunatics " +
    "demagogue demagogues propagandist propagandists apologist apologists mouthpiece lackey lackeys goons " +
    "fanatic fanatics crook crooks hatemonger hatemongers"
  ).split(" "),
);

const INEVITABILITY =
  /\b(?:unavoidable|inevitabl[ey]|imminent|looming|bound to|on the brink|point of no return|no turning back|certain to)\b/i;
const THREAT =
  /\b(?:war|wars|escalation|escalat\w+|conflict|attacks?|collapse|crisis|catastroph\w+|disaster|invasion|bloodshed|violence|chaos|annihilation|destruction|apocalyp\w+|holocaust|famine|genocide|nuclear)\b/i;

const IDIOM_RE = new RegExp(`\\b(?:${LOADED_IDIOMS.join("|")})\\b`, "gi");

export function ruleHits(doc: Doc): RuleHit[] {
  const out: RuleHit[] = [];
  const { count, norm, pos, start, end, sentence } = doc.tokens;
  for (let i = 0; i < count; i++) {
    const w = norm[i]!;
    const next = i + 1 < count && sentence[i + 1] === sentence[i] ? i + 1 : -1;
    if (INTENSIFIER_ADVERBS.has(w) && next >= 0 && (pos[next] === POS.VERB || pos[next] === POS.ADJ)) {
      out.push({
        technique: "Loaded_Language",
        start: start[i]!,
        end: end[next]!,
        confidence: 0.55,
        reason: `uses the intensifier "${doc.tokenText(i)}" to dramatise rather than report.`,
      });
    } else if (SENSATIONAL_ADJECTIVES.has(w) && pos[i] === POS.ADJ) {
      // The adjective with the noun it qualifies, when one follows.
      let j = next;
      while (
        j >= 0 &&
        j < count &&
        sentence[j] === sentence[i] &&
        (pos[j] === POS.ADJ || pos[j] === POS.CCONJ) &&
        j - i < 3
      )
        j++;
      const hasNoun =
        j >= 0 && j < count && sentence[j] === sentence[i] && (pos[j] === POS.NOUN || pos[j] === POS.PROPN);
      out.push({
        technique: "Loaded_Language",
        start: start[i]!,
        end: hasNoun ? end[j]! : end[i]!,
        confidence: 0.55,
        reason: `uses the sensational adjective "${doc.tokenText(i)}" to steer the reader's judgement rather than inform.`,
      });
    } else if (EPITHETS.has(w) && (pos[i] === POS.NOUN || pos[i] === POS.PROPN)) {
      // Include a possessor ("Russia's") or qualifier just before the epithet.
      let a = i;
      if (a - 1 >= 0 && sentence[a - 1] === sentence[i] && norm[a - 1] === "'s" && a - 2 >= 0) a -= 2;
      else if (
        a - 1 >= 0 &&
        sentence[a - 1] === sentence[i] &&
        (pos[a - 1] === POS.ADJ || pos[a - 1] === POS.PROPN)
      )
        a -= 1;
      out.push({
        technique: "Name_Calling,Labeling",
        start: start[a]!,
        end: end[i]!,
        confidence: 0.5,
        reason: `labels someone with the epithet "${doc.tokenText(i)}" instead of describing what they did.`,
      });
    }
  }
  IDIOM_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IDIOM_RE.exec(doc.text))) {
    out.push({
      technique: "Loaded_Language",
      start: m.index,
      end: m.index + m[0].length,
      confidence: 0.5,
      reason: "is a loaded idiom that passes judgement instead of describing what happened.",
    });
  }
  if (!INEVITABILITY.test(doc.text)) return out;
  for (const sent of doc.sentences) {
    const text = doc.text.slice(sent.start, sent.end);
    if (text.length > 300) continue;
    const inev = INEVITABILITY.exec(text);
    const threat = inev && THREAT.exec(text);
    if (inev && threat) {
      out.push({
        technique: "Appeal_to_fear-prejudice",
        start: sent.start,
        end: sent.end,
        confidence: 0.45,
        reason: `presents a threat ("${threat[0]}") as "${inev[0]}", pressing the reader with fear of what is coming.`,
      });
    }
  }
  return out;
}
