// SKELETON: the ingestion owner replaces this with text/HTML/URL/feed/dir/stdin loading,
// boilerplate removal, language detection and the size cap. Interface to keep:
import { readFileSync, existsSync } from "node:fs";
import type { DocInput } from "../doc/doc.js";
import { UserError } from "../util/errors.js";

export interface IngestOptions {
  maxBytes?: number;
  allowPrivate?: boolean;
  timeoutMs?: number;
}

/** Resolves a CLI target (file, dir, URL, feed or "-") into documents ready for Doc.create. */
export async function* loadInputs(target: string, _opts: IngestOptions = {}): AsyncGenerator<DocInput> {
  if (!existsSync(target)) throw new UserError(`no such file: ${target}`);
  yield fromPlainText(readFileSync(target, "utf8"), { id: target });
}

/** Plain text: the first line is the title when a blank line follows it. */
export function fromPlainText(raw: string, meta: Partial<DocInput> = {}): DocInput {
  const m = /^([^\n]{1,300})\n[ \t]*\n/.exec(raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"));
  const text = raw.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (m) return { ...meta, title: m[1]!.trim(), text: text.slice(m[0].length) };
  return { ...meta, text };
}
