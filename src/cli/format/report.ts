// The terminal report. SKELETON: extended with claims, techniques, stance and credibility sections.
import type { Analysis } from "../../schema/analysis.js";

export function renderReport(a: Analysis, _opts: { color: boolean }): string {
  const lines = [a.document.title || "(untitled)", ""];
  for (const e of a.entities) lines.push(`${e.type} ${e.name} (${e.mentions.length})`);
  return lines.join("\n");
}
