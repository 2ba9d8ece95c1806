// claimscope web UI: renders claimscope/analysis@1 JSON from the server. Presentation only — every value shown
// comes from the analysis; every highlight is a character span of document.text.

const $ = (sel) => document.querySelector(sel);

/** Creates an element with text content (never HTML: article text is untrusted). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function setStatus(msg, isError = false) {
  const s = $("#status");
  s.textContent = msg;
  s.classList.toggle("error", isError);
}

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

const pct = (x) => `${Math.round(x * 100)}%`;
/** At most `n` characters and "…", never half of an emoji (a lone surrogate shows as �). */
const shorten = (s, n) => {
  if (s.length <= n) return s;
  const cut = /[\uD800-\uDBFF]/.test(s.charAt(n - 1)) ? n - 1 : n;
  return s.slice(0, cut) + "…";
};
const day = (iso) => iso?.slice(0, 10) ?? "?";
const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
const speakerLabel = (c) =>
  c.speaker === null ? "(no speaker found)" : c.speaker.type === "AUTHOR" ? "the author" : c.speaker.name;

// ---- highlights ---------------------------------------------------------------------------------

/** Every span the UI can show or focus, with the layer it belongs to and what it refers to. */
function marksOf(a) {
  const marks = [];
  const add = (start, end, layer, cls, ref) => {
    if (typeof start === "number" && typeof end === "number" && end > start)
      marks.push({ start, end, layer, cls, ref });
  };
  a.claims.forEach((c, i) => {
    const ref = { type: "claim", i };
    const parts = c.content.parts?.length ? c.content.parts : [c.content];
    for (const p of parts) add(p.start, p.end, "claim", `ev-${c.evidence.status}`, ref);
    if (c.cue) add(c.cue.start, c.cue.end, "cue", `fr-${c.cue.framing}`, ref);
    if (c.speaker) add(c.speaker.start, c.speaker.end, "speaker", "", ref);
    for (const m of c.evidence.markers) add(m.start, m.end, "evidence", `ev-${c.evidence.status}`, ref);
    for (const h of c.hedges) add(h.start, h.end, "hedge", "", ref);
  });
  a.techniques.forEach((t, i) => add(t.start, t.end, "technique", "", { type: "technique", i }));
  a.entities.forEach((e, i) => {
    for (const m of e.mentions) add(m.start, m.end, "entity", "", { type: "entity", i });
  });
  // Credibility factors are not drawn, only focused: their spans still cut the text into segments.
  (a.credibility?.factors ?? []).forEach((f, i) => {
    for (const s of f.spans) add(s.start, s.end, "factor", "", { type: "factor", i });
  });
  return marks;
}

let current = null; // { analysis, marks }

function renderDoc(a, marks) {
  const text = a.document.text;
  const cuts = new Set([0, text.length]);
  for (const m of marks) {
    cuts.add(Math.min(m.start, text.length));
    cuts.add(Math.min(m.end, text.length));
  }
  const hl = a.document.headline;
  if (hl) cuts.add(hl.end);
  const points = [...cuts].sort((x, y) => x - y);
  const doc = $("#doc");
  doc.replaceChildren();
  // One sweep over the segments with the marks open at each (a mark covers a segment when it starts at or
  // before it and ends after its start): linear in segments + marks, not their product, which froze the page
  // on a long article (100 KB: ~4,500 marks, ~40 M checks; 1 MB: billions).
  const byStart = marks.map((_, idx) => idx).sort((x, y) => marks[x].start - marks[y].start);
  let next = 0;
  let open = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const s = points[k];
    const e = points[k + 1];
    while (next < byStart.length && marks[byStart[next]].start <= s) open.push(byStart[next++]);
    open = open.filter((idx) => marks[idx].end > s);
    const on = [...open].sort((x, y) => x - y);
    const classes = new Set();
    for (const idx of on) {
      const m = marks[idx];
      if (m.layer === "factor" || m.layer === "passage") continue;
      classes.add(`m-${m.layer}`);
      if (m.cls) classes.add(m.cls);
    }
    if (hl && s >= hl.start && e <= hl.end) classes.add("headline");
    const span = el("span", { "data-start": String(s), "data-end": String(e) }, text.slice(s, e));
    if (classes.size) span.className = [...classes].join(" ");
    if (on.length) span.setAttribute("data-marks", on.join(","));
    doc.append(span);
  }
}

function focusSpans(ranges) {
  const segs = document.querySelectorAll("#doc span[data-start]");
  let first = null;
  for (const s of segs) {
    const a = Number(s.dataset.start);
    const b = Number(s.dataset.end);
    const hit = ranges.some((r) => r.start < b && r.end > a);
    s.classList.toggle("focus", hit);
    if (hit && !first) first = s;
  }
  first?.scrollIntoView?.({ block: "center", behavior: "smooth" });
}

function claimRanges(c) {
  const r = [...(c.content.parts?.length ? c.content.parts : [c.content])];
  if (c.cue) r.push(c.cue);
  if (c.speaker && typeof c.speaker.start === "number") r.push(c.speaker);
  return r;
}

// ---- panels -------------------------------------------------------------------------------------

function claimDetail(c) {
  const box = el("div");
  box.append(
    el("div", {}, el("span", { class: "tag" }, c.kind), el("strong", {}, speakerLabel(c))),
    el("p", {}, `“${c.content.text}”`),
  );
  if (c.cue) box.append(el("div", {}, "cue: ", el("strong", {}, c.cue.text), ` (${c.cue.framing})`));
  const ev = el(
    "div",
    {},
    "evidence: ",
    el("span", { class: `tag ${evClass(c.evidence.status)}` }, c.evidence.status),
  );
  for (const m of c.evidence.markers) ev.append(" ", el("span", { class: "tag" }, `${m.type}: ${m.text}`));
  box.append(ev);
  if (c.hedges.length) box.append(el("div", {}, "hedges: " + c.hedges.map((h) => `“${h.text}”`).join(", ")));
  if (typeof c.checkworthiness === "number")
    box.append(el("div", {}, `check-worthiness ${pct(c.checkworthiness)}`));
  for (const f of c.factChecks ?? []) {
    // The address comes from an imported file: only http(s) becomes a link (a javascript: or data: URL would run
    // in this page when clicked); any other (a CLEF urn:, a typo) is shown as text.
    const url = String(f.url ?? "").trim();
    const web = /^https?:\/\//i.test(url);
    const link = web
      ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, f.publisher)
      : el("span", {}, f.publisher);
    box.append(
      el(
        "div",
        { class: "factcheck" },
        "fact-checked: “",
        f.claimReviewed,
        "”",
        f.claimant ? ` (claimed by ${f.claimant})` : "",
        " — rated ",
        el("strong", {}, f.rating || "(no rating published)"),
        " by ",
        link,
        web || !url ? "" : ` (${url})`,
        f.date ? `, ${f.date}` : "",
        ` (match ${f.score.toFixed(2)})`,
        f.matched?.length
          ? el(
              "div",
              { class: "muted" },
              "on the words " +
                f.matched.map((m) => `“${current.analysis.document.text.slice(m.start, m.end)}”`).join(" "),
            )
          : null,
      ),
    );
  }
  return box;
}

const evClass = (s) => (s === "unsupported" ? "bad" : s === "cited" ? "good" : "");

function showDetail(refs) {
  const a = current.analysis;
  const box = $("#detail");
  box.replaceChildren(el("h2", {}, "Here"));
  const seen = new Set();
  for (const ref of refs) {
    const key = `${ref.type}:${ref.i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (ref.type === "claim") box.append(el("div", { class: "card" }, claimDetail(a.claims[ref.i])));
    if (ref.type === "technique") {
      const t = a.techniques[ref.i];
      box.append(
        el(
          "div",
          { class: "card" },
          el("span", { class: "tag" }, t.technique.replace(/_/g, " ")),
          ` confidence ${pct(t.confidence)}`,
          el("p", {}, t.explanation),
        ),
      );
    }
    if (ref.type === "entity") {
      const e = a.entities[ref.i];
      const aka = e.aliases.length ? ` (also: ${e.aliases.join("; ")})` : "";
      box.append(el("div", { class: "card" }, el("span", { class: "tag" }, e.type), e.name + aka));
    }
  }
  if (seen.size === 0) box.append(el("p", { class: "muted" }, "Nothing is marked here."));
}

function renderCredibility(a) {
  const box = $("#credibility");
  box.replaceChildren(el("h2", {}, "Credibility signal"));
  const c = a.credibility;
  if (!c) {
    // The analysis says why the stage declined (`skipped`); without a reason the stage was not asked for.
    const why = a.skipped && a.skipped.credibility;
    box.append(el("p", { class: "muted" }, why ? `Not assessed: ${why}.` : "Not computed for this article."));
  } else {
    box.append(
      el(
        "div",
        {},
        el("span", { class: `score band-${c.band}` }, String(Math.round(c.score))),
        ` / 100 — ${c.band}`,
      ),
    );
    const list = el("ul", { class: "plain" });
    c.factors.forEach((f) => {
      // The sign comes from the effect alone: a factor with no effect on this score is "·", never "+".
      const sign = f.effect < 0 ? "−" : f.effect > 0 ? "+" : "·";
      const r = Math.round(f.effect * 10) / 10;
      list.append(
        el(
          "li",
          { class: "card", onclick: () => focusSpans(f.spans) },
          el(
            "span",
            { class: `tag ${f.effect < 0 ? "bad" : f.effect > 0 ? "good" : ""}` },
            `${sign} ${f.name} (${r > 0 ? "+" : r < 0 ? "−" : ""}${Math.abs(r)})`,
          ),
          " ",
          f.detail,
        ),
      );
    });
    box.append(list);
  }
  if (a.stance) {
    const s = a.stance;
    const scores = Object.entries(s.scores)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(", ");
    box.append(el("p", {}, "Headline vs body: ", el("strong", {}, s.label), ` (${scores})`));
  }
}

// "speaker": grouped by who claims it; "worth": one list, the most check-worthy first (a fact-checker's first pass).
let claimOrder = "speaker";

function renderClaims(a) {
  const box = $("#claims");
  const order = (value, label) =>
    el(
      "button",
      {
        type: "button",
        class: `order${claimOrder === value ? " active" : ""}`,
        onclick: () => {
          claimOrder = value;
          renderClaims(a);
        },
      },
      label,
    );
  box.replaceChildren(
    el("h2", {}, `Claims (${a.claims.length})`),
    el(
      "div",
      { class: "orders" },
      "order: ",
      order("speaker", "by speaker"),
      order("worth", "most check-worthy first"),
    ),
  );
  if (claimOrder === "worth") {
    const idx = a.claims.map((_, i) => i);
    // Unscored claims (a non-English text) keep their place at the end.
    const score = (i) => a.claims[i].checkworthiness ?? -1;
    idx.sort((x, y) => score(y) - score(x) || x - y);
    for (const i of idx) box.append(claimCard(a, i, true));
    return;
  }
  const groups = new Map();
  a.claims.forEach((c, i) => {
    const k = speakerLabel(c);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(i);
  });
  const bySize = [...groups.entries()].sort((x, y) => y[1].length - x[1].length);
  for (const [who, idx] of bySize) {
    box.append(el("h3", {}, `${who} — ${idx.length}`));
    for (const i of idx) box.append(claimCard(a, i, false));
  }
}

function claimCard(a, i, withSpeaker) {
  const c = a.claims[i];
  return el(
    "div",
    {
      class: "card",
      onclick: () => {
        focusSpans(claimRanges(c));
        showDetail([{ type: "claim", i }]);
      },
    },
    typeof c.checkworthiness === "number"
      ? el("span", { class: "tag worth" }, `check-worthy ${pct(c.checkworthiness)}`)
      : null,
    withSpeaker ? el("strong", {}, speakerLabel(c), " ") : null,
    el("span", { class: "tag" }, c.kind),
    el("span", { class: `tag ${evClass(c.evidence.status)}` }, c.evidence.status),
    c.cue ? el("span", { class: "tag" }, `${c.cue.text} · ${c.cue.framing}`) : null,
    // Neutral: an earlier fact-check is not a verdict (its rating may well be "True").
    c.factChecks?.length ? el("span", { class: "tag" }, "fact-checked") : null,
    el("div", {}, shorten(c.content.text, 200)),
  );
}

function renderTechniques(a) {
  const box = $("#techniques");
  box.replaceChildren(el("h2", {}, `Persuasion techniques (${a.techniques.length})`));
  a.techniques.forEach((t, i) => {
    box.append(
      el(
        "div",
        {
          class: "card",
          onclick: () => {
            focusSpans([t]);
            showDetail([{ type: "technique", i }]);
          },
        },
        el("span", { class: "tag" }, t.technique.replace(/_/g, " ")),
        `${pct(t.confidence)} “${t.text}”`,
      ),
    );
  });
}

/** What the reader must know before trusting the panels: a language not analyzed, text removed as residue. */
function renderNotes(a) {
  const box = $("#notes");
  const d = a.document;
  box.replaceChildren();
  if (d.language !== "eng" && d.language !== "und")
    box.append(
      el(
        "p",
        { class: "notice" },
        `Not English (${d.language}): only language-independent layers were produced; ` +
          "claims, techniques, stance and credibility are not analyzed.",
      ),
    );
  // Bytes that were not valid UTF-8 (often a Windows-1252 file) were analyzed as U+FFFD: never quote them unawares.
  const undecoded = (d.text.match(/\uFFFD/g) ?? []).length;
  if (undecoded > 0)
    box.append(
      el(
        "p",
        { class: "notice" },
        `${plural(undecoded, "character")} could not be decoded and ${undecoded === 1 ? "is" : "are"} shown as �: ` +
          "the file is probably not UTF-8 (save it as UTF-8 and analyze it again).",
      ),
    );
  if (d.removed?.length) {
    const list = el("ul", { class: "plain" });
    for (const r of d.removed) list.append(el("li", {}, `“${r.text}” (${r.reason})`));
    box.append(el("p", { class: "muted" }, "Removed as boilerplate, not analyzed:"), list);
  }
  box.hidden = box.childNodes.length === 0;
}

let downloadUrl = null;

/** Renders an analysis; `passages` (spans to focus, e.g. a story's claim) also cut the text, undrawn. */
function showAnalysis(a, passages = []) {
  const marks = marksOf(a);
  for (const p of passages) marks.push({ start: p.start, end: p.end, layer: "passage", cls: "", ref: null });
  current = { analysis: a, marks };
  renderDoc(a, marks);
  renderNotes(a);
  renderCredibility(a);
  renderClaims(a);
  renderTechniques(a);
  $("#detail").replaceChildren("Click a highlighted passage to see what it is.");
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([JSON.stringify(a, null, 2)], { type: "application/json" }));
  $("#download").href = downloadUrl;
  $("#result").hidden = false;
  const n = (x, w) => `${x} ${w}${x === 1 ? "" : "s"}`;
  setStatus(
    `${n(a.claims.length, "claim")}, ${n(a.techniques.length, "technique span")}, ${n(a.entities.length, "entity")}`,
  );
}

// ---- events -------------------------------------------------------------------------------------

$("#doc").addEventListener("click", (ev) => {
  const seg = ev.target.closest("span[data-marks]");
  if (!seg || !current) return;
  const refs = seg.dataset.marks
    .split(",")
    .map((i) => current.marks[Number(i)])
    .filter(
      (m) =>
        m.layer !== "factor" && m.layer !== "passage" && !document.body.classList.contains(`hide-${m.layer}`),
    )
    .map((m) => m.ref);
  showDetail(refs);
});

for (const box of document.querySelectorAll("#layers input[data-layer]")) {
  const apply = () => document.body.classList.toggle(`hide-${box.dataset.layer}`, !box.checked);
  box.addEventListener("change", apply);
  apply();
}

async function analyze(init) {
  setStatus("analyzing…");
  try {
    showAnalysis(await api("/api/analyze", { method: "POST", ...init }));
  } catch (e) {
    setStatus(e.message, true);
  }
}

$("#input").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = $("#text").value;
  const title = $("#title").value.trim();
  if (!text.trim()) return setStatus("paste an article first", true);
  void analyze({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(title ? { title, text } : { text }),
  });
});

$("#file").addEventListener("change", async () => {
  const f = $("#file").files[0];
  if (!f) return;
  // Sent as the raw file, so the server reads it exactly as `claimscope analyze FILE` would (by its extension).
  const type =
    /\.x?html?$/i.test(f.name) || f.type === "text/html"
      ? "text/html"
      : /\.(?:md|markdown)$/i.test(f.name) || f.type === "text/markdown"
        ? "text/markdown"
        : "text/plain";
  await analyze({ headers: { "content-type": type }, body: await f.arrayBuffer() });
});

// ---- stories ------------------------------------------------------------------------------------

function showView(name) {
  for (const b of document.querySelectorAll("nav button"))
    b.classList.toggle("active", b.dataset.view === name);
  $("#view-analyze").hidden = name !== "analyze";
  $("#view-stories").hidden = name !== "stories";
  if (name === "stories") void loadStories();
}
for (const b of document.querySelectorAll("nav button"))
  b.addEventListener("click", () => showView(b.dataset.view));

async function loadStories() {
  const box = $("#story-list");
  box.replaceChildren(el("h2", {}, "Stories"));
  try {
    const LIMIT = 100;
    const stories = await api(`/api/stories?limit=${LIMIT}`);
    if (stories.length === 0) box.append(el("p", { class: "muted" }, "The corpus holds no stories yet."));
    // The list is cut at LIMIT: say so, or a story beyond it reads as absent from the corpus.
    if (stories.length >= LIMIT)
      box.append(
        el(
          "p",
          { class: "muted" },
          `The ${LIMIT} largest stories are shown; there may be more (claimscope stories --db … lists them all).`,
        ),
      );
    for (const s of stories)
      box.append(
        el(
          "div",
          { class: "card", onclick: () => void loadStory(s.id) },
          el("strong", {}, s.title),
          el(
            "div",
            { class: "muted" },
            `${plural(s.articles.length, "article")}, ${day(s.first)} – ${day(s.last)}`,
          ),
        ),
      );
  } catch (e) {
    box.append(el("p", { class: "muted" }, e.message));
  }
}

async function loadStory(id) {
  const box = $("#story");
  box.replaceChildren(el("p", { class: "muted" }, "loading…"));
  try {
    const s = await api(`/api/stories/${id}`);
    const src = new Map(s.articles.map((a) => [a.id, a]));
    box.replaceChildren(
      el("h2", {}, s.title),
      el(
        "p",
        { class: "muted" },
        `${plural(s.articles.length, "article")}, ${day(s.first)} – ${day(s.last)}`,
      ),
      el("h3", {}, "Articles"),
    );
    for (const a of s.articles)
      box.append(
        el(
          "div",
          { class: "card", onclick: () => void openArticle(a.id) },
          `${day(a.published)} ${a.source}: ${a.title}`,
          a.credibility === null ? null : el("span", { class: "tag" }, `credibility ${a.credibility}`),
        ),
      );
    box.append(el("h3", {}, "Claims across sources"));
    for (const c of s.claims) {
      const rel = el("ul", { class: "plain" });
      for (const x of c.sources) {
        const cls = x.relation === "disputes" ? "bad" : x.relation === "supports" ? "good" : "";
        // Clicking a source opens that article with the passage marked (the offsets the story gives).
        const at =
          typeof x.start === "number" && typeof x.end === "number" ? [{ start: x.start, end: x.end }] : [];
        rel.append(
          el(
            "li",
            { class: "source", onclick: () => void openArticle(x.articleId, at) },
            el("span", { class: `tag ${cls}` }, x.relation),
            src.get(x.articleId)?.source ?? `#${x.articleId}`,
            x.via && x.via !== "claim" ? ` (${x.via})` : "",
          ),
        );
      }
      box.append(
        el(
          "div",
          { class: "card" },
          // The id the Disputes section refers to ("C3 ↔ C7").
          el("span", { class: "tag" }, `C${c.id}`),
          el("strong", {}, c.speakers.join(" / ") || "(unattributed)"),
          `: “${c.text}”`,
          rel,
        ),
      );
    }
    if (s.disputes.length) {
      box.append(el("h3", {}, "Disputes"));
      for (const d of s.disputes) box.append(el("div", { class: "card" }, `C${d.a} ↔ C${d.b}: ${d.reason}`));
    }
  } catch (e) {
    box.replaceChildren(el("p", { class: "muted" }, e.message));
  }
}

async function openArticle(id, focus = []) {
  try {
    const a = await api(`/api/articles/${id}`);
    showView("analyze");
    showAnalysis(a, focus);
    if (focus.length) focusSpans(focus);
  } catch (e) {
    setStatus(e.message, true);
  }
}
