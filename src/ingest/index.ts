// Ingestion: turns a CLI target (file, directory, URL, RSS/Atom feed or "-" for stdin) into DocInputs ready
// for Doc.create. Every document passes through `fromBuffer` (bytes + hints -> DocInput): size cap, binary
// check, charset decoding, HTML extraction, boilerplate removal and language identification.
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { DocInput } from "../doc/doc.js";
import { UserError } from "../util/errors.js";
import { stripBoilerplate, type Removed } from "./boilerplate.js";
import { parseFeed, looksLikeFeed, SUBSTANTIAL_CHARS, type Feed } from "./feed.js";
import { isReadableType, overCapMessage, parseContentType, safeFetch, parseHttpUrl } from "./fetch.js";
import { fromHtml, looksLikeHtml, sniffHtmlCharset } from "./html.js";
import { detectLanguage } from "./language.js";
import { binaryReason, decodeText, fromMarkdown, fromPlainText, tidyText } from "./text.js";

export { fromPlainText } from "./text.js";
export { stripBoilerplate, type Removed } from "./boilerplate.js";
export { detectLanguage } from "./language.js";
export { blockedAddressReason, safeFetch } from "./fetch.js";

export interface IngestOptions {
  /** Refuse documents (files, stdin, downloads) larger than this many bytes; default 5 MB. */
  maxBytes?: number;
  /** Allow fetching loopback/private/link-local/metadata addresses (off by default). */
  allowPrivate?: boolean;
  /** Deadline for one URL fetch, redirects included; default 15 s. */
  timeoutMs?: number;
  /**
   * Called when one document of a directory or feed fails; loading then continues with the others.
   * Without it the first failure throws.
   */
  onError?: (where: string, err: Error) => void;
  /** Where "-" reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Called for each entry of a directory that is not read (another extension, a subdirectory), so the caller
   * can say so; hidden files and repository paperwork (README, LICENSE…) are passed over silently.
   */
  onSkip?: (path: string, why: string) => void;
}

export const DEFAULT_MAX_BYTES = 5_000_000;
export const DEFAULT_TIMEOUT_MS = 15_000;
/** A repository's own documentation (README.md, LICENSE.txt, …) is not an article: skipped in directories. */
const REPO_DOC = /^(?:readme|license|licence|changelog|contributing|code_of_conduct)(?:\.|$)/i;
/** File extensions read from a directory. */
export const DIR_EXTENSIONS = [".txt", ".html", ".htm", ".md", ".xml"];

/** Hints about a raw buffer: where it came from and what it claims to be. */
export interface BufferHints {
  /** Name used in messages only (e.g. "stdin"); default: filename, else url. */
  name?: string;
  /** File name or path (its extension picks the format; also used in messages). */
  filename?: string;
  /** HTTP Content-Type header value (may carry a charset). */
  contentType?: string;
  /** The URL it was fetched from (base for relative links; document.url unless a canonical URL is found). */
  url?: string;
  /** document.id; default: filename, else url, else a content hash. */
  id?: string;
}

type Kind = "html" | "text" | "markdown" | "feed";

const BINARY_TYPE =
  /^(?:image|audio|video|font|model)\/|^application\/(?:octet-stream|pdf|zip|gzip|x-gzip|x-tar|x-7z|vnd\.|msword|java|wasm|x-executable)/;

function resolvedOptions(
  opts: IngestOptions,
): Required<Pick<IngestOptions, "maxBytes" | "allowPrivate" | "timeoutMs">> {
  return {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    allowPrivate: opts.allowPrivate ?? false,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

function kindOf(text: string, hints: BufferHints, mediaType: string): Kind {
  const ext = hints.filename ? extname(hints.filename).toLowerCase() : "";
  if (
    mediaType === "text/html" ||
    mediaType === "application/xhtml+xml" ||
    ext === ".html" ||
    ext === ".htm" ||
    ext === ".xhtml"
  )
    return "html";
  if (
    /(?:rss|atom|rdf)\+xml$|^(?:application|text)\/xml$/.test(mediaType) ||
    ext === ".xml" ||
    ext === ".rss" ||
    ext === ".atom"
  )
    return looksLikeFeed(text) ? "feed" : looksLikeHtml(text) ? "html" : "feed";
  if (
    mediaType === "text/markdown" ||
    mediaType === "text/x-markdown" ||
    ext === ".md" ||
    ext === ".markdown"
  )
    return "markdown";
  if (looksLikeFeed(text)) return "feed";
  if (looksLikeHtml(text)) return "html";
  return "text";
}

/** Size cap, content-type and binary checks shared by every entry point; returns the decoded text and kind. */
function decodeChecked(
  buf: Uint8Array,
  hints: BufferHints,
  maxBytes: number,
): { text: string; kind: Kind; name: string } {
  const name = hints.name ?? hints.filename ?? hints.url ?? "input";
  if (buf.length > maxBytes) throw new UserError(overCapMessage(name, buf.length, maxBytes));
  const { mediaType, charset } = parseContentType(hints.contentType);
  if (mediaType && (BINARY_TYPE.test(mediaType) || !isReadableType(mediaType)))
    throw new UserError(
      `${name}: unsupported content type "${mediaType}" (expected HTML, text or an RSS/Atom feed)`,
    );
  const why = binaryReason(buf);
  if (why) throw new UserError(`${name}: ${why}, not text`);
  let text = decodeText(buf, charset);
  const kind = kindOf(text, hints, mediaType);
  if (kind === "html" && !charset) {
    const declared = sniffHtmlCharset(text);
    if (declared && !/^utf-?8$/i.test(declared)) text = decodeText(buf, declared);
  }
  return { text, kind, name };
}

/** One line of metadata: tidied like the text (no control characters or escapes), whitespace collapsed. */
export function metaLine(s: string | undefined): string | undefined {
  return s === undefined ? undefined : tidyText(s).replace(/\s+/g, " ").trim() || undefined;
}

/** Removes boilerplate, sets language and id, and refuses an empty result. */
function finish(doc: DocInput, hints: BufferHints, name: string, kind: Kind, stripped = false): DocInput {
  const body = tidyText(doc.text);
  const { text, removed } = stripped ? { text: body, removed: [] } : stripBoilerplate(body);
  if (!text.trim()) {
    if (kind === "html") throw new UserError(`${name}: no article text could be extracted from the HTML`);
    // Residue may have been removed before (plain text, Markdown: doc.removed) or here.
    if (removed.length > 0 || (doc.removed?.length ?? 0) > 0)
      throw new UserError(`${name}: nothing left after removing boilerplate`);
    throw new UserError(`${name}: empty document (no text)`);
  }
  // Metadata gets the text's treatment too: a page's <title> may carry terminal escapes or control characters.
  const title = metaLine(doc.title);
  const out: DocInput = { ...doc, text };
  if (title) out.title = title;
  else delete out.title;
  for (const k of ["byline", "source"] as const) {
    const v = metaLine(doc[k]);
    if (v) out[k] = v;
    else delete out[k];
  }
  const all: Removed[] = [...(doc.removed ?? []), ...removed];
  if (all.length > 0) out.removed = all;
  out.language = detectLanguage((title ? title + "\n\n" : "") + text).language;
  const id = hints.id ?? hints.filename ?? doc.url ?? hints.url;
  if (id) out.id = id;
  return out;
}

/**
 * One raw buffer + hints -> one DocInput: size cap, binary check, decoding (invalid UTF-8 becomes U+FFFD),
 * plain text / Markdown / HTML extraction, boilerplate removal (reported in `removed`) and language.
 * Throws a UserError (one clear line) for anything it cannot read, and for feeds (use `inputsFromBuffer`).
 */
export function fromBuffer(
  buf: Uint8Array,
  hints: BufferHints = {},
  opts: Pick<IngestOptions, "maxBytes"> = {},
): DocInput {
  const { text, kind, name } = decodeChecked(buf, hints, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (kind === "feed") throw new UserError(`${name} is an RSS/Atom feed (or other XML), not an article`);
  return extract(text, kind, hints, name);
}

/**
 * Text that arrives as a string with its metadata beside it (the server's JSON `text`, a dataset record): the
 * treatment a plain-text file gets — tidied (NFC, line endings, control characters), residue removed and listed
 * in `removed`, metadata tidied, language identified — so that it is analyzed exactly as `claimscope analyze`
 * would analyze it, non-English text included. A title given beside the text is the title; without one, the
 * plain-text convention applies (the first line, when a blank line follows it) unless `titleFromText` is false
 * (a dataset's body column has no title line). Throws a UserError when nothing is left to analyze.
 */
export function fromText(
  text: string,
  meta: Partial<DocInput> = {},
  hints: BufferHints = {},
  opts: { titleFromText?: boolean } = {},
): DocInput {
  const { text: cleaned, removed } = stripBoilerplate(tidyText(text));
  const titled = (meta.title !== undefined && meta.title.trim() !== "") || opts.titleFromText === false;
  const doc: DocInput = titled ? { ...meta, text: cleaned } : fromPlainText(cleaned, meta);
  if (removed.length > 0) doc.removed = [...(meta.removed ?? []), ...removed];
  return finish(doc, { ...hints, id: meta.id ?? hints.id }, hints.name ?? "text", "text", true);
}

function extract(text: string, kind: Kind, hints: BufferHints, name: string): DocInput {
  const meta: Partial<DocInput> = {};
  if (hints.url) meta.url = hints.url;
  if (kind === "html") return finish(fromHtml(text, { url: hints.url }), hints, name, kind);
  // Residue is removed before the title is taken, so that "Share this article" never becomes the headline.
  const { text: cleaned, removed } = stripBoilerplate(tidyText(text));
  const doc = kind === "markdown" ? fromMarkdown(cleaned, meta) : fromPlainText(cleaned, meta);
  if (removed.length > 0) doc.removed = removed;
  return finish(doc, hints, name, kind, true);
}

/**
 * Like fromBuffer, but a feed yields one DocInput per item (an item's link is fetched when its own content is
 * not substantial). Item failures go to opts.onError when given.
 */
export async function* inputsFromBuffer(
  buf: Uint8Array,
  hints: BufferHints = {},
  opts: IngestOptions = {},
): AsyncGenerator<DocInput> {
  const o = resolvedOptions(opts);
  const { text, kind, name } = decodeChecked(buf, hints, o.maxBytes);
  if (kind !== "feed") {
    yield extract(text, kind, hints, name);
    return;
  }
  let feed: Feed | null;
  try {
    feed = parseFeed(text);
  } catch (e) {
    throw new UserError(
      `${name}: malformed XML (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`,
    );
  }
  if (!feed) throw new UserError(`${name}: XML but not an RSS or Atom feed`);
  if (feed.items.length === 0) throw new UserError(`${name}: the feed has no items`);
  for (let i = 0; i < feed.items.length; i++) {
    const item = feed.items[i]!;
    const where = `${name} item ${i + 1}${item.title ? ` ("${item.title.slice(0, 60)}")` : ""}`;
    let doc: DocInput;
    try {
      doc = await feedItemInput(item, feed, hints, where, o);
    } catch (e) {
      if (!opts.onError || !(e instanceof Error)) throw e;
      opts.onError(where, e);
      continue;
    }
    yield doc;
  }
}

async function feedItemInput(
  item: Feed["items"][number],
  feed: Feed,
  hints: BufferHints,
  where: string,
  o: ReturnType<typeof resolvedOptions>,
): Promise<DocInput> {
  const link = item.link ? absolute(item.link, hints.url ?? feed.link) : undefined;
  const extra: Partial<DocInput> = {};
  if (item.published) extra.published = item.published;
  if (item.byline) extra.byline = item.byline;
  if (feed.title) extra.source = feed.title;
  if (item.text.length >= SUBSTANTIAL_CHARS || !link) {
    if (!item.text.trim()) throw new UserError(`${where}: no content and no link`);
    const doc: DocInput = { text: item.text, ...extra };
    if (item.title) doc.title = item.title;
    if (link) doc.url = link;
    return finish(doc, { id: link ?? hints.id, url: link }, where, "text");
  }
  const page = await fetchInput(link, o);
  // The page's own metadata wins; the feed fills what the page lacks.
  return { ...extra, ...page, title: page.title ?? item.title };
}

function absolute(href: string, base: string | undefined): string | undefined {
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

async function fetchInput(url: string, o: ReturnType<typeof resolvedOptions>): Promise<DocInput> {
  const res = await safeFetch(url, o);
  const hints: BufferHints = { url: res.url, contentType: contentTypeOf(res), id: res.url };
  const { text, kind, name } = decodeChecked(res.body, hints, o.maxBytes);
  if (kind === "feed") throw new UserError(`${url} is a feed, expected an article page`);
  return extract(text, kind, hints, name);
}

function contentTypeOf(res: { mediaType: string; charset?: string }): string | undefined {
  if (!res.mediaType) return undefined;
  return res.charset ? `${res.mediaType}; charset=${res.charset}` : res.mediaType;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

async function exists(path: string): Promise<import("node:fs").Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    if (code === "EACCES") throw new UserError(`permission denied: ${path}`);
    throw new UserError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

async function readCapped(path: string, size: number, maxBytes: number): Promise<Buffer> {
  if (size > maxBytes) throw new UserError(overCapMessage(path, size, maxBytes));
  try {
    const buf = await readFile(path);
    if (buf.length > maxBytes) throw new UserError(overCapMessage(path, buf.length, maxBytes));
    return buf;
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES") throw new UserError(`permission denied: ${path}`);
    if (code === "ENOENT") throw new UserError(`no such file: ${path}`);
    throw new UserError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

async function readStdin(
  stream: NodeJS.ReadableStream & { isTTY?: boolean },
  maxBytes: number,
  name = "stdin",
): Promise<Buffer> {
  if (stream.isTTY)
    throw new UserError("no input on stdin (pipe a document in, e.g. `claimscope analyze - < article.txt`)");
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > maxBytes) {
      if ("destroy" in stream && typeof stream.destroy === "function")
        (stream as unknown as { destroy(): void }).destroy();
      throw new UserError(overCapMessage(name, null, maxBytes));
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/** Resolves a CLI target (file, dir, URL, feed or "-") into documents ready for Doc.create. */
export async function* loadInputs(target: string, opts: IngestOptions = {}): AsyncGenerator<DocInput> {
  const o = resolvedOptions(opts);
  if (!Number.isFinite(o.maxBytes) || o.maxBytes <= 0)
    throw new UserError("the size cap must be a positive number of bytes");
  if (target === "-") {
    const buf = await readStdin(opts.stdin ?? process.stdin, o.maxBytes);
    yield* inputsFromBuffer(buf, { name: "stdin" }, { ...opts, ...o });
    return;
  }
  const st = await exists(target);
  if (!st && SCHEME.test(target)) {
    yield* urlInputs(target, opts, o);
    return;
  }
  if (!st) {
    const hint = /^(?:www\.)?[\w-]+(?:\.[\w-]+)+\//i.test(target)
      ? " (for a URL, include http:// or https://)"
      : "";
    throw new UserError(`no such file or directory: ${target}${hint}`);
  }
  if (st.isDirectory()) {
    yield* dirInputs(target, opts, o);
    return;
  }
  if (st.isFIFO()) {
    // A pipe given by name: process substitution (`claimscope analyze <(curl -s URL)`) or /dev/stdin.
    const buf = await readStdin(createReadStream(target), o.maxBytes, target);
    yield* inputsFromBuffer(buf, { filename: target }, { ...opts, ...o });
    return;
  }
  if (!st.isFile()) throw new UserError(`not a regular file: ${target}`);
  const buf = await readCapped(target, st.size, o.maxBytes);
  yield* inputsFromBuffer(buf, { filename: target }, { ...opts, ...o });
}

async function* urlInputs(
  target: string,
  opts: IngestOptions,
  o: ReturnType<typeof resolvedOptions>,
): AsyncGenerator<DocInput> {
  parseHttpUrl(target); // unsupported schemes fail here, before any I/O
  const res = await safeFetch(target, o);
  yield* inputsFromBuffer(
    res.body,
    { url: res.url, contentType: contentTypeOf(res), id: res.url },
    { ...opts, ...o },
  );
}

async function* dirInputs(
  dir: string,
  opts: IngestOptions,
  o: ReturnType<typeof resolvedOptions>,
): AsyncGenerator<DocInput> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new UserError(`cannot list ${dir}: ${(e as Error).message}`);
  }
  const visible = names.filter((n) => !n.startsWith(".") && !REPO_DOC.test(n)).sort();
  const files = visible.filter((n) => DIR_EXTENSIONS.includes(extname(n).toLowerCase()));
  // With nothing to read, the error says so alone (the entries are not listed one by one).
  if (opts.onSkip && files.length > 0)
    for (const n of visible) {
      if (files.includes(n)) continue;
      const isDir = await stat(join(dir, n)).then(
        (s) => s.isDirectory(),
        () => false,
      );
      opts.onSkip(
        join(dir, n),
        isDir ? "a subdirectory (not read)" : `not a ${DIR_EXTENSIONS.join("/")} file`,
      );
    }
  if (files.length === 0) throw new UserError(`no ${DIR_EXTENSIONS.join("/")} files in ${dir}`);
  for (const f of files) {
    const path = join(dir, f);
    const docs: DocInput[] = [];
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      const buf = await readCapped(path, st.size, o.maxBytes);
      for await (const d of inputsFromBuffer(buf, { filename: path }, { ...opts, ...o })) docs.push(d);
    } catch (e) {
      if (!opts.onError || !(e instanceof Error)) throw e;
      opts.onError(path, e instanceof UserError ? e : new UserError(`${path}: ${e.message}`));
      continue;
    }
    yield* docs;
  }
}
