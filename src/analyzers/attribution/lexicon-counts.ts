// Refreshes the `polnear` counts in lexicon.json: how many PolNeAR train Cue spans contain a form of
// each cue lemma. Run: npx tsx src/analyzers/attribution/lexicon-counts.ts
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dataPath } from "../../util/paths.js";
import { cueForms } from "./lexicon.js";

const file = fileURLToPath(new URL("./lexicon.json", import.meta.url));
const lex = JSON.parse(readFileSync(file, "utf8")) as {
  cues: Record<string, { forms?: string[]; polnear?: number }>;
};
const dir = dataPath("polnear", "train", "attributions");
const cueTexts: string[] = [];
for (const f of readdirSync(dir)) {
  for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
    const cols = line.split("\t");
    if (cols[1]?.startsWith("Cue ")) cueTexts.push(cols[2]!.toLowerCase().replace(/’/g, "'"));
  }
}
for (const [lemma, entry] of Object.entries(lex.cues)) {
  const [head, particle] = lemma.split(" ");
  const forms = cueForms(head!, particle ? undefined : entry.forms).map((f) =>
    particle ? `${f} ${particle}` : f,
  );
  const re = new RegExp(`\\b(?:${forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`);
  entry.polnear = cueTexts.filter((t) => re.test(t)).length;
}
writeFileSync(file, JSON.stringify(lex, null, 2) + "\n");
process.stderr.write(`counted ${cueTexts.length} cue spans\n`);
