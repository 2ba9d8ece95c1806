// What POST /api/analyze receives, and how it becomes analysis@1: the same steps in process and in a worker
// thread, so both answer with the same JSON.
import { z } from "zod";
import { Doc, type DocInput } from "../doc/doc.js";
import { fromBuffer, fromText, metaLine } from "../ingest/index.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import { toAnalysis } from "../pipeline/output.js";
import type { Analysis } from "../schema/analysis.js";

/** One article to analyze: plain text (title apart) or an HTML page to extract it from. */
export const AnalyzeRequest = z
  .object({
    text: z.string().optional(),
    html: z.string().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
    source: z.string().optional(),
    published: z.string().optional(),
    id: z.string().optional(),
  })
  .strict()
  .refine((r) => r.text === undefined || r.html === undefined, { message: "give `text` or `html`, not both" })
  .refine((r) => (r.text ?? r.html ?? "").trim().length > 0, { message: "give `text` or `html`" });
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

/**
 * One analysis to run, as it crosses the thread boundary: a raw body (an HTML page or plain text, read as
 * `claimscope analyze -` reads it) or a validated JSON request. Extraction from HTML is part of the job, so a
 * large page is parsed off the event loop too.
 */
export type AnalyzeJob =
  | { kind: "body"; bytes: Uint8Array; contentType: string; title?: string; url?: string }
  | { kind: "json"; request: AnalyzeRequest };

/** The document a job describes (throws UserError when the body holds no article). */
export function jobInput(job: AnalyzeJob): DocInput {
  if (job.kind === "body") {
    const input = fromBuffer(job.bytes, { contentType: job.contentType, name: "request body", url: job.url });
    const title = metaLine(job.title); // tidied like a page's <title>: no escapes or control characters
    if (title && !input.title) input.title = title;
    return input;
  }
  const { html, text, url, ...meta } = job.request;
  // Text is read as a plain-text file is (tidied, residue removed, language identified), so the web UI's pasted
  // article gets the CLI's analysis. Title, id, source and date given with the request win over what the page
  // says (tidied the same way); the URL, as for a fetched page, is the base unless the page names a canonical one.
  if (html === undefined) return fromText(text ?? "", { ...meta, ...(url !== undefined && { url }) });
  const page = fromBuffer(Buffer.from(html), { contentType: "text/html", name: "html", url });
  const given: Partial<DocInput> = { ...meta };
  for (const k of ["title", "source"] as const) if (given[k] !== undefined) given[k] = metaLine(given[k]);
  for (const k of Object.keys(given) as (keyof DocInput)[]) if (given[k] === undefined) delete given[k];
  return { ...page, ...given };
}

export function analyzeJob(pipeline: Pipeline, job: AnalyzeJob): Analysis {
  return toAnalysis(pipeline.run(Doc.create(jobInput(job))));
}
