// The web UI (web/app.js) loaded into a linkedom DOM, as every web-UI test drives it: the page's own HTML, a
// `fetch` that answers as the test says, and the paste form submitted like a user would.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseHTML } from "linkedom";

const ROOT = join(import.meta.dirname, "..");

/** The DOM surface the tests touch (the project compiles without the DOM lib). */
export interface UiNode {
  textContent: string | null;
  value: string;
  hidden: boolean;
  className: string;
  files?: unknown;
  dataset: Record<string, string>;
  classList: { contains(c: string): boolean };
  getAttribute(name: string): string | null;
  dispatchEvent(e: unknown): boolean;
  querySelectorAll(sel: string): Iterable<UiNode>;
}
export interface UiDom {
  querySelector(sel: string): UiNode | null;
  querySelectorAll(sel: string): Iterable<UiNode>;
}

export interface FetchInit {
  body?: string;
  headers?: Record<string, string>;
}
export interface FetchAnswer {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}
/** A 200 answer with this JSON body. */
export const ok = (body: unknown): FetchAnswer => ({ ok: true, status: 200, json: async () => body });

export interface WebUi {
  document: UiDom;
  /** A DOM event of this type, to dispatch on a node. */
  event(type: string): unknown;
  /** Pastes `text` and submits the form; resolves once the answer has been drawn. */
  submit(text?: string, waitMs?: number): Promise<void>;
}

/** Loads web/app.js (once per test file: vitest isolates files) with `fetch` answering its requests. */
export async function loadWebUi(
  fetch: (path: string, init: FetchInit) => Promise<FetchAnswer>,
): Promise<WebUi> {
  const dom = parseHTML(readFileSync(join(ROOT, "web", "index.html"), "utf8"));
  const document = dom.document as unknown as UiDom;
  const EventCtor = dom.Event as unknown as new (type: string) => unknown;
  Object.assign(globalThis, { document, fetch });
  await import(pathToFileURL(join(ROOT, "web", "app.js")).href);
  const event = (type: string) => new EventCtor(type);
  return {
    document,
    event,
    async submit(text = "x", waitMs = 20) {
      document.querySelector("#text")!.value = text;
      document.querySelector("#input")!.dispatchEvent(event("submit"));
      await new Promise((r) => setTimeout(r, waitMs));
    },
  };
}
