// Output formats for analyses. Presentation only: every value shown comes from the analysis JSON.
import type { Analysis } from "../../schema/analysis.js";
import { renderReport } from "./report.js";
import { renderJsonLd } from "./jsonld.js";

export const FORMATS = ["json", "report", "jsonld"] as const;
export type Format = (typeof FORMATS)[number];

export function formatAnalysis(a: Analysis, format: Format, opts: { color: boolean }): string {
  switch (format) {
    case "json":
      return JSON.stringify(a);
    case "report":
      return renderReport(a, opts);
    case "jsonld":
      return renderJsonLd(a);
  }
}
