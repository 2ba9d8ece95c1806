// RSS 2.0 / RSS 1.0 (RDF) / Atom feeds -> items. Each item's own content is used when it is substantial;
// otherwise the caller fetches its link.
import { createRequire } from "node:module";
import type { XMLParser as XMLParserClass } from "fast-xml-parser";
import { blockText, htmlLibs, normDate } from "./html.js";

const require = createRequire(import.meta.url);

export interface FeedItem {
  title?: string;
  link?: string;
  published?: string;
  byline?: string;
  /** Item body as plain text (from content:encoded / content / description / summary), possibly short. */
  text: string;
}

export interface Feed {
  title?: string;
  link?: string;
  items: FeedItem[];
}

/** An item body shorter than this (characters of text) is a teaser: its link is fetched instead. */
export const SUBSTANTIAL_CHARS = 400;

export function looksLikeFeed(text: string): boolean {
  const head = text
    .slice(0, 4096)
    .replace(/<\?xml[^>]*\?>/, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  return /^\s*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)[\s>]/i.test(head);
}

let parser: XMLParserClass | null = null;
/** The XML parser, loaded on first use. */
function xmlParser(): XMLParserClass {
  const { XMLParser } = require("fast-xml-parser") as { XMLParser: typeof XMLParserClass };
  parser ??= new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    processEntities: true,
    htmlEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) =>
      name === "item" || name === "entry" || name === "link" || name === "author" || name === "dc:creator",
  });
  return parser;
}

type Node = Record<string, unknown>;

function str(x: unknown): string | undefined {
  if (x === undefined || x === null) return undefined;
  if (typeof x === "string") return x.trim() || undefined;
  if (typeof x === "number") return String(x);
  if (Array.isArray(x)) return str(x[0]);
  if (typeof x === "object") {
    const o = x as Node;
    return str(o["#text"] ?? o.name ?? o["@_href"]);
  }
  return undefined;
}

function htmlToText(s: string | undefined): string {
  if (!s) return "";
  if (!/[<&]/.test(s)) return s.replace(/\s+/g, " ").trim();
  const { document } = htmlLibs().parseHTML(`<!doctype html><html><body>${s}</body></html>`) as unknown as {
    document: { body: Parameters<typeof blockText>[0] | null };
  };
  return document.body ? blockText(document.body) : "";
}

function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return str(links);
  let fallback: string | undefined;
  for (const l of links) {
    if (typeof l === "string") {
      fallback ??= l;
      continue;
    }
    const o = l as Node;
    const rel = (o["@_rel"] as string | undefined) ?? "alternate";
    const href = o["@_href"] as string | undefined;
    if (!href) {
      fallback ??= str(o);
      continue;
    }
    if (rel === "alternate") return href;
    fallback ??= href;
  }
  return fallback;
}

function names(x: unknown): string | undefined {
  if (!Array.isArray(x)) return str(x);
  const all = x.map((a) => str(a)).filter((a): a is string => !!a);
  return all.length ? all.join(", ") : undefined;
}

/** Parses a feed; returns null when the XML is not RSS/Atom. Throws on malformed XML. */
export function parseFeed(xml: string): Feed | null {
  const doc = xmlParser().parse(xml) as Node;
  const rss = doc.rss as Node | undefined;
  const atom = doc.feed as Node | undefined;
  const rdf = doc["rdf:RDF"] as Node | undefined;
  if (rss || rdf) {
    const channel = ((rss?.channel ?? rdf?.channel) as Node | undefined) ?? {};
    const items = ((channel.item ?? rdf?.item) as Node[] | undefined) ?? [];
    return {
      title: str(channel.title),
      link: atomLink(channel.link),
      items: items.map((it) => {
        const body = str(it["content:encoded"]) ?? str(it.description) ?? "";
        return {
          title: str(it.title),
          link: atomLink(it.link) ?? (isPermalink(it.guid) ? str(it.guid) : undefined),
          published: normDate(str(it.pubDate) ?? str(it["dc:date"])),
          byline: names(it["dc:creator"]) ?? names(it.author),
          text: htmlToText(body),
        };
      }),
    };
  }
  if (atom) {
    const entries = (atom.entry as Node[] | undefined) ?? [];
    return {
      title: str(atom.title),
      link: atomLink(atom.link),
      items: entries.map((e) => ({
        title: htmlToText(str(e.title)),
        link: atomLink(e.link),
        published: normDate(str(e.published) ?? str(e.updated)),
        byline: names(e.author),
        text: htmlToText(str(e.content) ?? str(e.summary)),
      })),
    };
  }
  return null;
}

function isPermalink(guid: unknown): boolean {
  const s = str(guid);
  if (!s || !/^https?:\/\//.test(s)) return false;
  if (guid && typeof guid === "object" && (guid as Node)["@_isPermaLink"] === "false") return false;
  return true;
}
