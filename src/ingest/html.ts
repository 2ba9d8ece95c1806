// HTML -> DocInput: the main content via @mozilla/readability on linkedom, laid out as paragraphs, plus
// title, byline, published date, site name (-> source) and canonical URL (-> url) from the page's metadata.
import { createRequire } from "node:module";
import type { Readability as ReadabilityClass } from "@mozilla/readability";
import type { parseHTML as ParseHTML } from "linkedom";
import type { DocInput } from "../doc/doc.js";

// linkedom and Readability load on first use (synchronously, via their CommonJS builds), so that plain-text
// ingestion and CLI start-up do not pay for them.
const require = createRequire(import.meta.url);
let dom: { parseHTML: typeof ParseHTML; Readability: typeof ReadabilityClass } | null = null;
export function htmlLibs(): { parseHTML: typeof ParseHTML; Readability: typeof ReadabilityClass } {
  dom ??= {
    parseHTML: (require("linkedom") as { parseHTML: typeof ParseHTML }).parseHTML,
    Readability: (require("@mozilla/readability") as { Readability: typeof ReadabilityClass }).Readability,
  };
  return dom;
}

/** The small part of the DOM this module touches (the project compiles without lib.dom). */
interface MiniNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<MiniNode>;
}
interface MiniElement extends MiniNode {
  getAttribute(name: string): string | null;
  querySelector(sel: string): MiniElement | null;
  querySelectorAll(sel: string): ArrayLike<MiniElement>;
  remove(): void;
}
interface MiniDocument {
  documentElement: MiniElement | null;
  body: MiniElement | null;
  title: string;
  querySelector(sel: string): MiniElement | null;
  querySelectorAll(sel: string): ArrayLike<MiniElement>;
}

const BLOCK = new Set(
  (
    "P DIV H1 H2 H3 H4 H5 H6 LI UL OL DL DT DD BLOCKQUOTE PRE SECTION ARTICLE HEADER FOOTER FIGURE FIGCAPTION " +
    "TABLE THEAD TBODY TR TD TH HR MAIN ASIDE NAV ADDRESS DETAILS SUMMARY CAPTION"
  ).split(" "),
);
const SKIP = new Set(
  "SCRIPT STYLE NOSCRIPT TEMPLATE SVG IFRAME FORM BUTTON SELECT TEXTAREA INPUT OBJECT EMBED CANVAS HEAD".split(
    " ",
  ),
);
const FURNITURE =
  'nav, aside, footer, [role="navigation"], [role="complementary"], [role="contentinfo"], [aria-modal="true"], ' +
  '[class*="cookie" i], [id*="cookie" i], [class*="consent" i], [id*="consent" i]';
const SKIP_FALLBACK = new Set([...SKIP, "NAV", "HEADER", "FOOTER", "ASIDE", "MENU"]);

/** Text of a subtree, one paragraph per block element, blank lines between paragraphs. */
export function blockText(root: MiniNode, skip: Set<string> = SKIP): string {
  const paras: string[] = [];
  let cur = "";
  const flush = (): void => {
    const t = cur.replace(/[ \t\n\r\f\u00a0]+/g, " ").trim();
    if (t) paras.push(t);
    cur = "";
  };
  // Depth-first with an explicit stack, not recursion: a page nested thousands of levels deep (div soup)
  // must not overflow the call stack. `null` marks the end of a block element's children.
  const stack: (MiniNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null) {
      flush();
      continue;
    }
    if (node.nodeType === 3) {
      cur += node.textContent ?? "";
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) continue;
    const name = node.nodeName.toUpperCase();
    if (skip.has(name)) continue;
    if (name === "BR") {
      flush();
      continue;
    }
    const block = BLOCK.has(name);
    if (block) {
      flush();
      stack.push(null);
    }
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  flush();
  return paras.join("\n\n");
}

function attr(doc: MiniDocument, selector: string, name = "content"): string | undefined {
  const v = doc.querySelector(selector)?.getAttribute(name)?.trim();
  return v ? v : undefined;
}

/** schema.org NewsArticle/Article fields from JSON-LD blocks, when present. */
function jsonLd(doc: MiniDocument): {
  published?: string;
  author?: string;
  publisher?: string;
  url?: string;
  headline?: string;
} {
  const out: { published?: string; author?: string; publisher?: string; url?: string; headline?: string } =
    {};
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  const name = (x: unknown): string | undefined => {
    if (typeof x === "string") return x;
    if (Array.isArray(x)) return x.map(name).filter(Boolean).join(", ") || undefined;
    if (x && typeof x === "object" && typeof (x as { name?: unknown }).name === "string")
      return (x as { name: string }).name;
    return undefined;
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o["@graph"])) visit(o["@graph"]);
    const type = String(o["@type"] ?? "");
    if (!/Article|Posting|Report|Blog/i.test(type)) return;
    if (typeof o.datePublished === "string") out.published ??= o.datePublished;
    out.author ??= name(o.author);
    out.publisher ??= name(o.publisher);
    if (typeof o.url === "string") out.url ??= o.url;
    if (typeof o.headline === "string") out.headline ??= o.headline;
  };
  for (let i = 0; i < scripts.length; i++) {
    try {
      visit(JSON.parse(scripts[i]!.textContent ?? ""));
    } catch {
      // malformed JSON-LD is common; ignore it
    }
  }
  return out;
}

export function normDate(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : t;
}

function absUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const u = new URL(href, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function cleanByline(s: string | null | undefined): string | undefined {
  if (!s) return undefined;
  const t = s
    .replace(/\s+/g, " ")
    .replace(/^by:?\s+/i, "")
    .trim();
  return t && t.length <= 200 ? t : undefined;
}

/** The charset declared in an HTML page's first 2 KB (<meta charset> or http-equiv), if any. */
export function sniffHtmlCharset(head: string): string | undefined {
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head.slice(0, 2048));
  return m ? m[1] : undefined;
}

export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(
    text.slice(0, 4096),
  );
}

/**
 * Extracts the article from an HTML page. `text` is empty when nothing readable was found (the caller
 * decides how to report that). `baseUrl` resolves a relative canonical link.
 */
export function fromHtml(html: string, hints: { url?: string } = {}): DocInput {
  const { parseHTML, Readability } = htmlLibs();
  const wrapped = /<html[\s>]/i.test(html.slice(0, 4096))
    ? html
    : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(wrapped) as unknown as { document: MiniDocument };
  const ld = jsonLd(document);
  const canonical =
    absUrl(attr(document, 'link[rel="canonical"]', "href"), hints.url) ??
    absUrl(attr(document, 'meta[property="og:url"]'), hints.url) ??
    absUrl(ld.url, hints.url);
  const metaTitle =
    attr(document, 'meta[property="og:title"]') ?? attr(document, 'meta[name="twitter:title"]');
  const metaSite =
    attr(document, 'meta[property="og:site_name"]') ?? attr(document, 'meta[name="application-name"]');
  const metaAuthor =
    attr(document, 'meta[name="author"]') ?? attr(document, 'meta[property="article:author"]');
  const metaDate =
    attr(document, 'meta[property="article:published_time"]') ??
    attr(document, 'meta[name="article:published_time"]') ??
    attr(document, 'meta[itemprop="datePublished"]') ??
    attr(document, 'meta[name="pubdate"]') ??
    attr(document, 'meta[name="publishdate"]') ??
    attr(document, 'meta[name="date"]') ??
    attr(document, 'meta[name="dc.date"]') ??
    attr(document, 'meta[name="DC.date.issued"]') ??
    attr(document, "time[datetime]", "datetime");
  const docTitle = document.title?.trim() || undefined;

  // Page furniture Readability keeps on short pages: navigation, asides, footers, cookie/consent banners.
  const furniture = document.querySelectorAll(FURNITURE);
  for (let i = furniture.length - 1; i >= 0; i--) furniture[i]!.remove();
  let text = "";
  // The serializer hands back Readability's content node itself, so it need not be re-parsed.
  let article: ReturnType<ReadabilityClass<MiniNode>["parse"]> = null;
  try {
    article = new Readability<MiniNode>(document as never, {
      charThreshold: 200,
      serializer: (node) => node as unknown as MiniNode,
    }).parse();
  } catch {
    article = null;
  }
  if (article?.content) text = blockText(article.content);
  if (!text) {
    // Readability found nothing: fall back to the visible text of the body, without navigation.
    const { document: again } = parseHTML(wrapped) as unknown as { document: MiniDocument };
    text = again.body ? blockText(again.body, SKIP_FALLBACK) : "";
  }
  const title = (article?.title?.trim() || undefined) ?? ld.headline ?? metaTitle ?? docTitle;
  const source =
    (article?.siteName?.trim() || undefined) ?? metaSite ?? ld.publisher ?? hostOf(canonical ?? hints.url);
  const out: DocInput = { text, title };
  const url = canonical ?? hints.url;
  if (url) out.url = url;
  if (source) out.source = source;
  const published = normDate((article?.publishedTime ?? undefined) || metaDate || ld.published);
  if (published) out.published = published;
  const byline = cleanByline(article?.byline) ?? cleanByline(metaAuthor) ?? cleanByline(ld.author);
  if (byline) out.byline = byline;
  // Readability keeps the headline as the first line of the content at times; the Doc adds the title itself.
  const firstBreak = out.text.indexOf("\n\n");
  const firstPara = firstBreak < 0 ? out.text : out.text.slice(0, firstBreak);
  if (title && firstBreak > 0 && firstPara.replace(/\s+/g, " ").trim() === title.replace(/\s+/g, " ").trim())
    out.text = out.text.slice(firstBreak + 2);
  const lead = stripLeadMeta(out.text, byline);
  if (lead.removed.length) {
    out.text = lead.text;
    out.removed = lead.removed;
  }
  return out;
}

const MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
const DATELINE = new RegExp(
  `^(?:(?:published|updated|posted|last updated)(?: on)?:?\\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?` +
    `(?:\\d{1,2}\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4})` +
    `(?:,?\\s+(?:at\\s+)?\\d{1,2}[:.]\\d{2}(?:\\s*[ap]\\.?m\\.?)?(?:\\s+[A-Z]{2,4})?)?$`,
  "i",
);

/** The byline and dateline lines at the top of an extracted article (metadata, not article text). */
function stripLeadMeta(
  text: string,
  byline: string | undefined,
): { text: string; removed: { text: string; reason: string }[] } {
  const paras = text.split("\n\n");
  const removed: { text: string; reason: string }[] = [];
  const norm = (x: string): string =>
    x
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  const by = byline ? norm(byline) : "";
  let k = 0;
  while (k < Math.min(paras.length - 1, 4)) {
    const p = paras[k]!.trim();
    if (p.length > 120) break;
    const n = norm(p.replace(/^by\s+/i, ""));
    if (
      (by && (n === by || (/^by\s/i.test(p) && n.startsWith(by)))) ||
      /^by\s+\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3}$/u.test(p)
    )
      removed.push({ text: p, reason: "byline" });
    else if (DATELINE.test(p)) removed.push({ text: p, reason: "dateline" });
    else break;
    k++;
  }
  return { text: paras.slice(k).join("\n\n"), removed };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, "") || undefined;
  } catch {
    return undefined;
  }
}
