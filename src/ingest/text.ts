// Bytes -> text: charset decoding (invalid UTF-8 becomes U+FFFD, never an error), binary detection,
// and the plain-text convention (first line is the title when a blank line follows it).
import { TextDecoder } from "node:util";
import type { DocInput } from "../doc/doc.js";
import { UserError } from "../util/errors.js";

/** Magic numbers of common binary formats, for a precise message. */
const MAGIC: [string, number[]][] = [
  ["PDF", [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ["PNG image", [0x89, 0x50, 0x4e, 0x47]],
  ["GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["JPEG image", [0xff, 0xd8, 0xff]],
  ["ZIP archive (or DOCX/XLSX)", [0x50, 0x4b, 0x03, 0x04]],
  ["gzip data", [0x1f, 0x8b]],
  ["ELF executable", [0x7f, 0x45, 0x4c, 0x46]],
  ["old Word/Excel document", [0xd0, 0xcf, 0x11, 0xe0]],
  ["WebP/RIFF media", [0x52, 0x49, 0x46, 0x46]],
];

function startsWith(buf: Uint8Array, sig: number[]): boolean {
  if (buf.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (buf[i] !== sig[i]) return false;
  return true;
}

/** UTF-16 byte-order mark, which legitimately has NUL bytes. */
function utf16Bom(buf: Uint8Array): "utf-16le" | "utf-16be" | null {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return "utf-16le";
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return "utf-16be";
  return null;
}

/**
 * Why `buf` looks binary (a short description), or null when it looks like text. Looks at the first
 * 64 KB: any NUL byte, a known magic number, or more than 10% control characters means binary.
 */
export function binaryReason(buf: Uint8Array): string | null {
  if (utf16Bom(buf)) return null;
  for (const [name, sig] of MAGIC) if (startsWith(buf, sig)) return `binary data (${name})`;
  const n = Math.min(buf.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return "binary data (NUL bytes)";
    // C0 controls other than \t \n \v \f \r, and ESC-free DEL
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) || b === 0x7f)
      control++;
  }
  if (n > 0 && control / n > 0.1) return "binary data (mostly control characters)";
  return null;
}

/** Decodes bytes; `charset` (from a content-type or meta tag) is honoured when Node knows it. */
export function decodeText(buf: Uint8Array, charset?: string): string {
  const bom = utf16Bom(buf);
  let label = bom ?? (charset ? charset.trim().toLowerCase() : "utf-8");
  if (!bom && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) label = "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: false });
  } catch {
    decoder = new TextDecoder("utf-8", { fatal: false });
  }
  // TextDecoder strips a BOM of its own encoding; any stray one is removed too.
  const text = decoder.decode(buf).replace(/^\uFEFF/, "");
  return decoder.encoding === "windows-1252" ? fixWindows1252(text) : text;
}

/**
 * WHATWG's windows-1252 (also what "iso-8859-1", "latin1" and "ascii" labels mean on the web) for bytes
 * 0x80–0x9F. Node 20's TextDecoder decodes them as C1 control characters (as ISO-8859-1 would), which turns
 * an old page's curly quotes, apostrophes and dashes into invisible controls; they are mapped here.
 */
const CP1252_HIGH =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// eslint-disable-next-line no-control-regex
const STRAY_CONTROL = /[\x00-\x08\x0e-\x1f\x7f]/g;
/** Invisible characters that split words without showing: soft hyphen, zero-width space/joiners, word joiner, BOM. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/**
 * The text as analyzed: NFC, line endings to \n, vertical tab/form feed as line breaks, terminal colour codes,
 * stray control and invisible characters removed, no trailing spaces, at most one blank line between
 * paragraphs, trimmed.
 */
export function tidyText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\v\f\u2028\u2029]/g, "\n")
    .replace(ANSI, "")
    .replace(STRAY_CONTROL, "")
    .replace(INVISIBLE, "")
    .replace(/[ \t\u00a0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
}

const TITLE_RE = /^([^\n]{1,300})\n[ \t]*\n/;

/** Plain text: the first line is the title when a blank line follows it. */
export function fromPlainText(raw: string, meta: Partial<DocInput> = {}): DocInput {
  const text = tidyText(raw.replace(/^\uFEFF/, ""));
  const m = TITLE_RE.exec(text);
  if (m) return { ...meta, title: m[1]!.trim(), text: text.slice(m[0].length) };
  return { ...meta, text };
}

/** Markdown: like plain text; a leading "# Heading" is the title, and a few markup signs are dropped. */
export function fromMarkdown(raw: string, meta: Partial<DocInput> = {}): DocInput {
  let text = tidyText(raw.replace(/^\uFEFF/, ""));
  text = text.replace(/^---\n[\s\S]*?\n---\n/, ""); // front matter
  text = text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "") // images
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1") // links keep their text
    .replace(/^#{1,6}[ \t]+/gm, "")
    .replace(/^>[ \t]?/gm, "")
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, "$2");
  return fromPlainText(text, meta);
}

/** Throws a UserError when the input is binary. */
export function assertText(buf: Uint8Array, name: string): void {
  const why = binaryReason(buf);
  if (why) throw new UserError(`${name}: ${why}, not text`);
}
