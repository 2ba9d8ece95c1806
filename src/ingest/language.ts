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

interface WordStats {
  words: number;
  en: number;
  latin: number;
  letters: number;
}

function wordStats(sample: string): WordStats {
  const st: WordStats = { words: 0, en: 0, latin: 0, letters: 0 };
  WORD.lastIndex = 0;
  for (let m = WORD.exec(sample); m; m = WORD.exec(sample)) {
    const w = m[0];
    st.words++;
    if (w.length <= 5 && EN_FUNCTION.has(w.toLowerCase())) st.en++;
    st.letters += w.length;
    for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) < 0x250) st.latin++;
  }
  return st;
}

/** Guesses the language of `text` (looks at the first 5,000 characters). */
export function detectLanguage(text: string): LanguageGuess {
  // Fast path: the opening 1,500 characters of English prose settle it.
  const head = wordStats(text.length > 1500 ? text.slice(0, 1500) : text);
  let st = head;
  let englishRatio = st.words ? st.en / st.words : 0;
  // English prose runs at 20-30% of these words; 10% already rules out other Latin-script languages.
  const isEnglish = (): boolean => st.words >= 4 && englishRatio >= 0.1 && st.latin >= 0.8 * st.letters;
  if (isEnglish()) return { language: "eng", englishRatio };
  const sample = text.length > 5000 ? text.slice(0, 5000) : text;
  if (sample.length > 1500) {
    st = wordStats(sample);
    englishRatio = st.words ? st.en / st.words : 0;
    if (isEnglish()) return { language: "eng", englishRatio };
  }
  const { latin, letters } = st;
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
