// What POST /api/analyze receives, and how it becomes analysis@1: the same steps in process and in a worker
// thread, so both answer with the same JSON.
import { z } from "zod";
import { Doc, type DocInput } from "../doc/doc.js";
import { fromBuffer } from "../ingest/index.js";
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
    if (job.title && !input.title) input.title = job.title;
    return input;
  }
  const { html, text, url, ...meta } = job.request;
  // Title, id, source and date given with the request win over what the page says; the URL, as for a fetched
  // page, is the base unless the page names a canonical one.
  return html === undefined
    ? { ...meta, ...(url !== undefined && { url }), text: text ?? "" }
    : { ...fromBuffer(Buffer.from(html), { contentType: "text/html", name: "html", url }), ...meta };
}

export function analyzeJob(pipeline: Pipeline, job: AnalyzeJob): Analysis {
  return toAnalysis(pipeline.run(Doc.create(jobInput(job))));
}
