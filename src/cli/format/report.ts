// The terminal report: a readable summary of one analysis. Presentation only — every value shown
// comes from the analysis JSON, and every excerpt is cut from document.text at the offsets given.
import type { Analysis, Claim, TextSpan } from "../../schema/analysis.js";
import { visibleDeep } from "./visible.js";

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  mark(s: string): string;
  warn(s: string): string;
  good(s: string): string;
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const COLOR: Style = {
  bold: ansi("1"),
  dim: ansi("2"),
  mark: ansi("1;33"),
  warn: ansi("31"),
  good: ansi("32"),
};
const PLAIN: Style = { bold: (s) => s, dim: (s) => s, mark: (s) => `[${s}]`, warn: (s) => s, good: (s) => s };

const ONE_LINE = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * `i` moved off the middle of a surrogate pair (an emoji or other character outside the BMP), towards `dir`:
 * a cut there would leave half a character, which prints as U+FFFD.
 */
function whole(s: string, i: number, dir: -1 | 1): number {
  const lo = s.charCodeAt(i);
  const hi = s.charCodeAt(i - 1);
  return i > 0 && i < s.length && lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? i + dir : i;
}

function clip(s: string, max = 160): string {
  const t = ONE_LINE(s);
  return t.length > max ? t.slice(0, whole(t, max - 1, -1)) + "…" : t;
}

const LONG_SPAN = 70;

/** The sentence-level context of a span with the span itself marked. */
function excerpt(text: string, span: { start: number; end: number }, st: Style, context = 60): string {
  const a = whole(text, Math.max(0, span.start - context), -1);
  const b = whole(text, Math.min(text.length, span.end + context), 1);
  const before = ONE_LINE(text.slice(a, span.start));
  const after = ONE_LINE(text.slice(span.end, b));
  // A long span (a whole paragraph) is shown by its two ends; the JSON keeps the full offsets.
  let inner = ONE_LINE(text.slice(span.start, span.end));
  if (inner.length > 2 * LONG_SPAN)
    inner = `${inner.slice(0, whole(inner, LONG_SPAN, -1))} … ${inner.slice(whole(inner, inner.length - LONG_SPAN, 1))}`;
  return `${a > 0 ? "…" : ""}${before} ${st.mark(inner)} ${after}${b < text.length ? "…" : ""}`.trim();
}

/** An effect on the 0–100 score: "−4.5", "+0.7", "0". */
function signed(x: number): string {
  const r = Math.round(x * 10) / 10;
  return r < 0 ? `−${Math.abs(r)}` : r > 0 ? `+${r}` : "0";
}

/** A share as a whole percentage: 0.834 -> "83%". */
export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function renderReport(analysis: Analysis, opts: { color: boolean }): string {
  // Control characters from the article or imported fact-checks are shown, never sent to the terminal.
  const a = visibleDeep(analysis);
  const st = opts.color ? COLOR : PLAIN;
  const text = a.document.text;
  const out: string[] = [];
  const d = a.document;
  // "0 claims" only when the stage ran: a stage left out (--stages) found nothing because it never looked.
  const ran = new Set(Object.keys(a.timings));
  const count = (n: number, what: string, stage: string) =>
    n === 0 && ran.size > 0 && !ran.has(stage) ? `${what} not analyzed (${stage} not run)` : `${n} ${what}`;
  out.push(st.bold(d.title || "(untitled)"));
  // Without a URL the document id (a file path, "dataset.jsonl#id" or a content hash) says which input this is.
  const meta = [d.source, d.byline, d.published, d.url ?? d.id].filter(Boolean).join(" · ");
  if (meta) out.push(st.dim(meta));
  out.push(
    st.dim(
      `${a.sentences.length} sentences · ${count(a.entities.length, "entities", "entities")} · ` +
        `${count(a.claims.length, "claims", "attribution")} · ${count(a.techniques.length, "technique spans", "techniques")} · language ${d.language}`,
    ),
  );
  if (d.language !== "eng" && d.language !== "und") {
    out.push(
      st.warn(
        `Not English (${d.language}): only language-independent layers were produced; claims, techniques, stance and credibility are not analyzed.`,
      ),
    );
  }
  if (d.removed?.length)
    out.push(
      st.dim(
        `Removed as boilerplate: ${d.removed.map((r) => `"${clip(r.text, 40)}" (${r.reason})`).join("; ")}`,
      ),
    );

  if (a.credibility) {
    const c = a.credibility;
    const band = c.band === "low" ? st.warn(c.band) : c.band === "high" ? st.good(c.band) : c.band;
    out.push("", st.bold(`Credibility signal: ${Math.round(c.score)}/100 (${band})`));
    for (const f of [...c.factors].sort((x, y) => Math.abs(y.effect) - Math.abs(x.effect))) {
      // The sign comes from the effect alone: a factor with no effect on this score is "·", never "+".
      const sign = f.effect < 0 ? st.warn("−") : f.effect > 0 ? st.good("+") : st.dim("·");
      out.push(`  ${sign} ${f.name} ${st.dim(`(${signed(f.effect)})`)}: ${f.detail}`);
      for (const s of f.spans.slice(0, 3)) out.push(st.dim(`      ${excerpt(text, s, st, 40)}`));
      if (f.spans.length > 3) out.push(st.dim(`      … and ${f.spans.length - 3} more`));
    }
  } else if (a.skipped?.credibility) {
    out.push("", st.bold("Credibility signal: not assessed") + st.dim(` (${a.skipped.credibility})`));
  }

  if (a.stance) {
    const scores = Object.entries(a.stance.scores)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(", ");
    out.push("", st.bold(`Headline vs body: ${a.stance.label}`) + st.dim(` (${scores})`));
  } else if (a.skipped?.stance && !a.skipped.stance.startsWith("not run")) {
    out.push("", st.bold("Headline vs body: not assessed") + st.dim(` (${a.skipped.stance})`));
  }

  const scored = a.claims.filter((c) => c.checkworthiness !== undefined);
  if (scored.length > 1) {
    // A fact-checker's first pass: the few claims most worth checking, whoever made them.
    const top = [...scored].sort((x, y) => y.checkworthiness! - x.checkworthiness!).slice(0, 3);
    out.push("", st.bold("Most check-worthy claims"));
    for (const c of top) {
      const who = c.speaker ? c.speaker.name : "(no speaker found)";
      out.push(
        `  ${pct(c.checkworthiness!)}  ${who}: ${clip(c.content.text, 90)} ` +
          st.dim(`@${c.content.start}-${c.content.end}`) +
          (c.factChecks?.length ? ` ${st.mark("fact-checked")}` : ""),
      );
    }
  }

  if (a.claims.length) {
    out.push("", st.bold("Claims by speaker"));
    const groups = new Map<string, Claim[]>();
    for (const c of a.claims) {
      const key = c.speaker ? `${c.speaker.name} (${c.speaker.type})` : "(no speaker found)";
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const [speaker, claims] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
      out.push(`  ${st.bold(speaker)} — ${claims.length} claim${claims.length > 1 ? "s" : ""}`);
      for (const c of claims) {
        const cue = c.cue ? `${c.cue.text}${c.cue.framing !== "neutral" ? ` [${c.cue.framing}]` : ""}` : "";
        const said =
          c.speaker?.start !== undefined && c.speaker.end !== undefined
            ? text.slice(c.speaker.start, c.speaker.end)
            : "";
        const how = [
          c.kind,
          said && said !== c.speaker?.name ? `as "${ONE_LINE(said)}"` : "",
          cue && `cue "${cue}"`,
          `@${c.content.start}-${c.content.end}`,
        ]
          .filter(Boolean)
          .join(", ");
        out.push(`    • ${clip(c.content.text)}`);
        const evidence =
          c.evidence.status === "unsupported" || c.evidence.status === "none-stated"
            ? st.warn(c.evidence.status)
            : st.good(c.evidence.status);
        const markers = c.evidence.markers.map((m) => `"${clip(m.text, 50)}"`).join(", ");
        out.push(st.dim(`      ${how}; evidence: `) + evidence + st.dim(markers ? ` (${markers})` : ""));
        if (c.hedges.length)
          out.push(st.dim(`      hedges: ${c.hedges.map((h: TextSpan) => `"${h.text}"`).join(", ")}`));
        if (c.checkworthiness !== undefined)
          out.push(st.dim(`      check-worthiness ${pct(c.checkworthiness)}`));
        for (const f of c.factChecks ?? []) {
          out.push(
            `      ${st.mark("fact-checked")} ${f.publisher}: "${f.rating || "(no rating published)"}" — ${clip(f.claimReviewed, 90)} ` +
              (f.claimant ? `(claimed by ${clip(f.claimant, 60)}) ` : "") +
              st.dim(`${f.url}${f.date ? `, ${f.date}` : ""} (match ${f.score.toFixed(2)})`),
          );
          if (f.matched?.length)
            out.push(
              st.dim(
                `        on the words ${f.matched.map((m) => `"${text.slice(m.start, m.end)}"`).join(" ")}` +
                  (f.overlap ? ` (${pct(f.overlap.factCheck)} of the fact-check's words)` : ""),
              ),
            );
        }
      }
    }
  }

  if (a.techniques.length) {
    out.push("", st.bold("Persuasion techniques"));
    for (const t of [...a.techniques].sort((x, y) => x.start - y.start)) {
      out.push(`  ${st.bold(t.technique)} ${st.dim(`(${pct(t.confidence)})`)}: ${excerpt(text, t, st, 50)}`);
      out.push(st.dim(`      ${t.explanation} @${t.start}-${t.end}`));
    }
  }

  const people = a.entities.filter((e) => e.mentions.length > 0);
  if (people.length) {
    out.push("", st.bold("Entities"));
    for (const e of people) {
      const aliases = e.aliases.filter((x) => x !== e.name);
      out.push(
        `  ${e.type.padEnd(6)} ${e.name}${aliases.length ? st.dim(` (also: ${aliases.join("; ")})`) : ""} ${st.dim(`×${e.mentions.length}`)}`,
      );
    }
  }
  return out.join("\n");
}
