// Language identification (ISO 639-3) with franc-min, made cautious: short English texts must never be
// marked non-English, so a text is only called non-English on clear evidence; "und" when it is too short.
import { francAll } from "franc-min";

// Very frequent English function words that are not also common words in German, French, Spanish, Italian,
// Dutch or Portuguese (so no "in", "a", "on", "was", "will"): their share is strong evidence of English.
const EN_FUNCTION = new Set(
  (
    "the of and to is that for with by at it she his her they their be are were has have had " +
    "not this from but which who would said says been its after we you"
  ).split(" "),
);

const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;

export interface LanguageGuess {
  /** ISO 639-3 code, or "und". */
  language: string;
  /** Share of English function words among the words (diagnostic). */
  englishRatio: number;
}

/** Guesses the language of `text` (looks at the first 5,000 characters). */
export function detectLanguage(text: string): LanguageGuess {
  const sample = text.length > 5000 ? text.slice(0, 5000) : text;
  const words = sample.match(WORD) ?? [];
  let en = 0;
  let latin = 0;
  let letters = 0;
  for (const w of words) {
    if (EN_FUNCTION.has(w.toLowerCase())) en++;
    for (let i = 0; i < w.length; i++) {
      letters++;
      if (w.charCodeAt(i) < 0x250) latin++;
    }
  }
  const englishRatio = words.length ? en / words.length : 0;
  // English prose runs at 20-30% of these words; 10% already rules out other Latin-script languages.
  if (words.length >= 4 && englishRatio >= 0.1 && latin >= 0.8 * letters)
    return { language: "eng", englishRatio };
  const nonLatin = letters > 0 && latin < 0.5 * letters;
  // Too little text to tell: franc needs ~100 letters in Latin script; other scripts are clearer sooner.
  if (letters < (nonLatin ? 40 : 100)) return { language: "und", englishRatio };
  const ranked = francAll(sample, { minLength: 10 });
  const [best, score] = ranked[0] ?? ["und", 0];
  if (best === "und") return { language: "und", englishRatio };
  if (best === "eng") return { language: "eng", englishRatio };
  // Clear evidence only: the winner must beat English by a margin (scores are normalised, 1 = best).
  const eng = ranked.find(([l]) => l === "eng")?.[1] ?? 0;
  if (!nonLatin) {
    // Some English function words: a mixed or quoted text, not clearly foreign.
    if (englishRatio >= 0.06) return { language: "und", englishRatio };
    // Next to none over a long stretch of text: franc's winner stands even when English scores close.
    const longAndForeign = letters >= 300 && englishRatio < 0.03;
    if (!longAndForeign && eng > 0.9 * score) return { language: "und", englishRatio };
  }
  return { language: best, englishRatio };
}
