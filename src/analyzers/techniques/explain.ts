// One plain-language sentence per flagged span, saying why it was flagged and quoting the span.
import type { TechniqueName } from "../../schema/analysis.js";

const MAX_QUOTE = 90;

export function quote(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= MAX_QUOTE) return `"${t}"`;
  const cut = t.lastIndexOf(" ", MAX_QUOTE);
  return `"${t.slice(0, cut > 40 ? cut : MAX_QUOTE)}…"`;
}

export interface ExplainContext {
  /** The word of the span most typical of the technique in PTC (from the derived lexicon), if any. */
  cue?: string;
  /** How often the span's wording occurs in the article (Repetition). */
  occurrences?: number;
  /** Why a hand-written rule fired, when the span comes from the rule layer. */
  rule?: string;
}

export function explain(technique: TechniqueName, text: string, ctx: ExplainContext = {}): string {
  const q = quote(text);
  const cue =
    ctx.cue && ctx.cue.length > 1 && !q.toLowerCase().startsWith(`"${ctx.cue}"`)
      ? ` (notably "${ctx.cue}")`
      : "";
  if (ctx.rule) return `The phrase ${q} ${ctx.rule}`;
  switch (technique) {
    case "Loaded_Language":
      return `The phrase ${q} uses emotionally charged wording${cue} to push a judgement rather than inform.`;
    case "Name_Calling,Labeling":
      return `${q} labels a person or group with a loaded name${cue} instead of describing what they did.`;
    case "Repetition":
      return ctx.occurrences && ctx.occurrences > 1
        ? `${q} repeats wording that occurs ${ctx.occurrences} times in the article, hammering the message home.`
        : `${q} restates a message the article keeps returning to, hammering it home.`;
    case "Doubt":
      return `${q} casts doubt on the credibility of someone or something${cue} without showing evidence.`;
    case "Exaggeration,Minimisation":
      return `${q} overstates or downplays the matter${cue} beyond what the facts shown support.`;
    case "Appeal_to_fear-prejudice":
      return `${q} plays on fear${cue} of what may happen, or on prejudice, to win support for a view.`;
    case "Flag-Waving":
      return `${q} appeals to national or group pride${cue} to justify a position.`;
    case "Causal_Oversimplification":
      return `${q} pins a complex issue on a single cause${cue}.`;
    case "Appeal_to_Authority":
      return `${q} rests the point on someone's standing${cue} rather than on evidence.`;
    case "Slogans":
      return `${q} is a brief, catchy phrase meant to stick rather than to argue.`;
    case "Whataboutism,Straw_Men,Red_Herring":
      return `${q} deflects from the issue — to an opponent's conduct, a distorted version of their view, or an aside${cue}.`;
    case "Black-and-White_Fallacy":
      return `${q} presents two options as the only ones possible${cue}.`;
    case "Thought-terminating_Cliches":
      return `${q} is a stock phrase that discourages further thought or discussion.`;
    case "Bandwagon,Reductio_ad_hitlerum":
      return `${q} urges agreement because others agree, or discredits an idea by tying it to a hated group${cue}.`;
  }
}
