// Scraping residue kept out of the analyzed text and reported instead: "You Might Also Like" / "Related"
// blocks, "Read more: <headline>" teasers, share / follow / subscribe lines, cookie notices, "Here's more from
// the Mirror…" hand-overs, and ad/layout labels. Conservative by design: a line is only dropped when it is
// short and matches one of the patterns below as a whole; real article sentences are never touched.

export interface Removed {
  text: string;
  reason: string;
}

export const REASONS = {
  related: "related-links block",
  teaser: "teaser link",
  handover: "hand-over to another outlet",
  share: "share/follow buttons",
  subscribe: "subscribe prompt",
  cookie: "cookie notice",
  layout: "ad/layout residue",
  credit: "image credit",
  caption: "image caption",
  embed: "embedded social post",
} as const;

// Bullets, arrows and pipes that often precede residue lines.
const LEAD = /^[\s•·▪■►▶»›>|*–—-]+/;
const APOS = "['’‘`]";

/** A heading that introduces links to other articles ("You Might Also Like", "Related Stories", …). */
const SECTION_HEAD = new RegExp(
  "^(?:you (?:might|may|will|could) (?:also )?(?:like|enjoy|love|be interested in)|" +
    "related(?: (?:articles?|stories|story|posts?|coverage|content|reading|links|news|videos?|gallery|photos|topics))?(?: on [\\w.]+)?|" +
    "read (?:more|next|also)|also read|" +
    "more (?:stories|like this|news|to read|on this(?: story| topic)?|from [\\w .&!'’-]{1,40})|" +
    "recommended(?: for you| stories| reading| articles)?|trending(?: now| stories| news)?|popular(?: posts| stories| now| videos?)?|" +
    "most (?:read|popular|viewed|shared|commented)(?: in [\\w &]{1,30}| stories| articles| today)?|" +
    "sponsored(?: content| stories| links)?|promoted(?: stories| content)?|from (?:around|across) the web|" +
    "what to read next|you may have missed|latest (?:news|stories)|further reading|top stories|editor" +
    APOS +
    "?s picks)" +
    "\\s*[:.…]*$",
  "i",
);

/** "Related: <headline>", "READ MORE: <headline>", "More from AOL.com: <headline>" … */
const TEASER = new RegExp(
  "^(?:related(?: \\w+){0,2}|read (?:more|next|also)|also read|see also|more from [^:]{1,40}|more on this(?: story)?|" +
    "don" +
    APOS +
    "?t miss|recommended|trending|popular video|most read(?: in [^:]{1,30})?|related slideshow)\\s*[:|»›]\\s*\\S.{0,240}$",
  "i",
);

/** A line that hands the reader over to another outlet or to the full article elsewhere. */
/** A line that hands the reader over to another outlet or to the full article elsewhere. */
const HANDOVER = new RegExp(
  "^(?:(?:here" +
    APOS +
    "?s|here is|get|read|see|find) (?:more|the (?:full|rest of the|whole) (?:story|report|article|piece)|the rest) (?:from|at|via) (?<o1>.{2,60}?)" +
    "|(?:continue|keep) reading(?: (?:at|on) (?<o2>.{2,60}?))?|read (?:the )?full (?:story|article|report)(?: (?:at|on) (?<o3>.{2,60}?)| here)?" +
    "|\\(excerpt\\) read more(?: at)?:? (?<o4>.{2,60}?)" +
    "|(?:this (?:article|story|post) (?:was )?(?:originally |first )?(?:appeared|published|posted)|originally published) (?:on|in|at|by) (?<o5>.{2,80}?)" +
    "|source: read full article|source link|read full article)\\s*[.…:!]*$",
  "i",
);
/** What follows "from"/"at" in a hand-over must name an outlet: a capitalised name or a domain, not a time. */
const OUTLET =
  /^(?:the |an? )?(?:[A-Z0-9][\w.&!'’-]*|[\w-]+\.(?:com|co\.uk|org|net|au|ca|ie)\b)(?: (?:[A-Z0-9&][\w.&!'’,-]*|and|of|the|with|on|in))*$/;

function isHandover(line: string): boolean {
  const m = HANDOVER.exec(line);
  if (!m) return false;
  const g = m.groups ?? {};
  const outlet = g.o1 ?? g.o2 ?? g.o3 ?? g.o4 ?? g.o5;
  if (outlet === undefined) return true;
  if (/^\d/.test(outlet) || /\b(?:below|above)\b/i.test(outlet)) return false;
  return OUTLET.test(outlet) || (g.o5 !== undefined && /^the /i.test(outlet));
}

const SOCIAL_WORDS = new Set(
  (
    "share shares sharing tweet tweets email e-mail print pin whatsapp facebook twitter linkedin reddit google digg stumbleupon " +
    "menu copy link copied pinterest flipboard messenger sms comment comments save instagram youtube telegram tumblr " +
    "mail google+ + | opens new window"
  ).split(/\s+/),
);

const CLICK_SHARE =
  /^(?:click|tap) (?:here )?to (?:share|email|print|tweet|pin|subscribe|follow|sign up|download|open)\b.{0,80}$/i;
const SHARE_LINE = /^share (?:this|on|via|the|your)(?: [\w-]+){0,3}\s*[:!.]?$/i;
const NETWORKS =
  "twitter|facebook|instagram|flipboard|youtube|tiktok|linkedin|snapchat|pinterest|threads|telegram|x|bluesky|mastodon";
const FOLLOW = new RegExp(
  `^(?:for more [^,]{1,60}, )?(?:follow|like us|find us|join us|connect with|check out|catch up with)\\b[^,.;:!?"“”]{1,50}\\bon (?:${NETWORKS})\\b` +
    `(?:\\s*(?:,|and|or|&)\\s*(?:[\\w ]{1,30} on )?(?:${NETWORKS})\\b|:?\\s*@[\\w.]+|\\s+for (?:more|the latest)\\b[^.!?]{0,40}|\\s+(?:here|now|today))*\\s*[.!]?$|` +
    "^follow (?:us|me|him|her|them)\\b.{0,40}@\\w+.{0,40}$",
  "i",
);
/** "Subscribe …" opening a line is a call to action; other openings need a subscription cue after them. */
const SUBSCRIBE_IMPERATIVE = /^subscribe\b/i;
const SUBSCRIBE_START =
  /^(?:sign up|sign-up|register|get|join|enter your email|want (?:more|the latest)|never miss|don['’]?t miss|stay (?:informed|up to date|updated|in the know)|wake up to)\b/i;
const SUBSCRIBE_STRONG = /\b(?:newsletters?|subscrib\w*|sign[ -]?up|inbox|unsubscribe|submit)\b|https?:\/\//i;
const SUBSCRIBE_WEAK = /\b(?:e-?mails?|updates|alerts)\b/i;
const SUBSCRIBE_OWNER = /\b(?:our|free|here|now|daily|weekly|today)\b/i;

function isSubscribePrompt(line: string): boolean {
  if (line.length > 200) return false;
  if (SUBSCRIBE_IMPERATIVE.test(line)) return true;
  const m = SUBSCRIBE_START.exec(line);
  if (!m) return false;
  const rest = line.slice(m[0].length);
  return SUBSCRIBE_STRONG.test(rest) || (SUBSCRIBE_WEAK.test(rest) && SUBSCRIBE_OWNER.test(rest));
}

const COOKIE = /\bcookies?\b/i;
const COOKIE_CUE =
  /\b(?:we use|(?:this|our) (?:web)?site uses|uses cookies|you (?:agree|consent|accept)|accept(?: all)?|continu(?:e|ing) (?:to (?:use|browse)|browsing)|learn more|manage (?:settings|preferences|cookies)|cookie (?:policy|settings|preferences|consent)|privacy policy)\b/i;
/** A cookie notice addresses the reader or speaks for the site; news about cookies does not. */
const READER = /\b(?:we|our|you|your|us)\b|\bthis (?:web)?site\b/i;
const LAYOUT = new RegExp(
  "^(?:advertisements?|ad|sponsored|advertisement continue reading the main story|" +
    "(?:story|post|article) continues below(?: (?:the )?advertisement)?|continue reading (?:the main story|below)|" +
    "scroll (?:down )?for (?:the )?video|skip (?:ad|advert|advertisement)|image zoom|view (?:the )?gallery|related gallery|" +
    "click to expand|swipe to close|close|the video will start in \\d+ cancel|loading view on instagram|" +
    "advertisement thanks for watching!? visit website|view this post on instagram|a post shared by .{1,80}|" +
    "getty images|getty|backgrid|splash news|rex features|shutterstock|" +
    "wake up to breaking news!? submit|>> read more trending news|read more trending news)\\s*[.!]?$",
  "i",
);
const CREDIT =
  /^\((?:image|photo|picture|pictures|credit|video)s?:[^)]{1,60}\)$|^(?:photo|image|picture) (?:credit|by|courtesy)[:\s].{1,60}$/i;

/** An image widget's label followed by its caption and credit ("Image zoom Jennifer Aniston in 2012. Kevin Winter/Getty"). */
const IMAGE_WIDGET = /^image zoom\b/i;
/** An embedded Instagram post as flattened text: the widget label, its caption, and its attribution line. */
const INSTAGRAM_EMBED =
  /^view this post on instagram\b.{0,200}?\ba post shared by .{1,100}\bon \w+ \d{1,2}, \d{4}\b.{0,30}$/i;
/** Ad labels with a counter or a continuation prompt ("Advertisement 1 / 7", "Advertisement - Continue Reading Below"). */
const AD_LABEL =
  /^advertisements?(?:\s*[-–—:]\s*(?:continue reading below|story continues below)?|\s+\d+\s*\/\s*\d+)\s*$/i;

/** Reason why one line is residue, or null. `line` has no newline. */
export function residueReason(raw: string): keyof typeof REASONS | null {
  const line = raw.replace(LEAD, "").trim();
  if (line.length === 0 || line.length > 500) return null;
  if (line.length <= 300 && TEASER.test(line) && titleAfterLabel(line)) return "teaser";
  if (line.length <= 160 && isHandover(line)) return "handover";
  if (line.length <= 120 && LAYOUT.test(line)) return "layout";
  if (line.length <= 120 && CREDIT.test(line)) return "credit";
  if (line.length <= 300 && IMAGE_WIDGET.test(line)) return "caption";
  if (line.length <= 300 && INSTAGRAM_EMBED.test(line)) return "embed";
  if (line.length <= 60 && AD_LABEL.test(line)) return "layout";
  if (line.length <= 160 && (CLICK_SHARE.test(line) || SHARE_LINE.test(line))) return "share";
  if (line.length <= 160 && FOLLOW.test(line)) return "share";
  if (isSubscribePrompt(line)) return "subscribe";
  if (COOKIE.test(line) && COOKIE_CUE.test(line) && READER.test(line)) return "cookie";
  if (line.length <= 160 && isButtonRow(line)) return "share";
  return null;
}

/** A teaser's label is followed by a headline, which starts with a capital, a digit or a quote mark. */
function titleAfterLabel(line: string): boolean {
  const after = line.slice(line.search(/[:|»›]/) + 1).trim();
  return /^["'‘“(]?[\p{Lu}\d]/u.test(after);
}

const CONNECTOR = new Set(["on", "via", "to", "by"]);
const BUTTON_VERB = new Set(["share", "follow", "pin", "post", "send", "email", "tweet"]);

/** "Share Tweet Email Copy Link Copied", "Facebook | Twitter | WhatsApp", "Share on Facebook · Share on X" … */
function isButtonRow(line: string): boolean {
  const words = line
    .toLowerCase()
    .split(/[\s,/|·•()]+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > 20) return false;
  const bare = words.map((w) => w.replace(/[:.!]+$/, ""));
  let hits = 0;
  for (let k = 0; k < bare.length; k++) {
    if (SOCIAL_WORDS.has(bare[k]!)) hits++;
    // "Share on Facebook · Share via Email": a connector between a button verb and a network
    else if (
      CONNECTOR.has(bare[k]!) &&
      BUTTON_VERB.has(bare[k - 1] ?? "") &&
      SOCIAL_WORDS.has(bare[k + 1] ?? "")
    )
      hits++;
  }
  // a single word only when it is unambiguous button text
  if (words.length === 1)
    return /^(?:share|tweet|email|print|whatsapp|pinterest|flipboard|comments?)[:!]?$/i.test(words[0]!);
  return hits === words.length;
}

function isSectionHead(raw: string): boolean {
  const line = raw.replace(LEAD, "").trim();
  return line.length > 0 && line.length <= 80 && SECTION_HEAD.test(line);
}

/** A line that reads like a link to another article: short, no sentence-final period. */
function isHeadlineLike(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t.length <= 160 && !/[.;,]["'’”)]?$/.test(t);
}

/**
 * Splits `text` into kept text and removed residue. Paragraph breaks of the kept text are preserved
 * (blank-line runs collapse to one). Returns the input string itself when nothing is removed.
 */
export function stripBoilerplate(text: string): { text: string; removed: Removed[] } {
  const lines = text.split("\n");
  const drop = new Uint8Array(lines.length);
  const removed: Removed[] = [];
  const nonEmpty: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.trim()) nonEmpty.push(i);
  const totalChars = text.length;

  for (let k = 0; k < nonEmpty.length; k++) {
    const i = nonEmpty[k]!;
    if (drop[i]) continue;
    const line = lines[i]!;
    if (isSectionHead(line)) {
      // A trailing block of links: everything after the heading is short lines, and the block is a
      // minor part of the document.
      const rest = nonEmpty.slice(k + 1);
      let restChars = 0;
      let allShort = true;
      let headlines = 0;
      for (const j of rest) {
        const l = lines[j]!.trim();
        restChars += l.length;
        if (l.length > 300) allShort = false;
        if (isHeadlineLike(l) || residueReason(l)) headlines++;
      }
      // ... and mostly reads like link titles (no sentence-final punctuation), not like prose paragraphs
      if (allShort && headlines >= 0.6 * rest.length && restChars <= Math.max(600, 0.4 * totalChars)) {
        const block = [line.trim(), ...rest.map((j) => lines[j]!.trim())].join("\n");
        removed.push({ text: block, reason: REASONS.related });
        for (let j = i; j < lines.length; j++) drop[j] = 1;
        break;
      }
      // Mid-text heading: drop it, and the headline it introduces (when the next line reads like one).
      const next = rest[0];
      if (next !== undefined && isHeadlineLike(lines[next]!) && !residueReason(lines[next]!)) {
        // the first headline, then any further bulleted ones ("* headline", "► headline")
        const taken = [next];
        for (let r = 1; r < rest.length; r++) {
          const l = lines[rest[r]!]!;
          if (!LEAD.test(l) || !isHeadlineLike(l.replace(LEAD, ""))) break;
          taken.push(rest[r]!);
        }
        removed.push({
          text: [line, ...taken.map((j) => lines[j]!)].map((l) => l.trim()).join("\n"),
          reason: REASONS.teaser,
        });
        drop[i] = 1;
        for (const j of taken) drop[j] = 1;
      } else {
        removed.push({ text: line.trim(), reason: REASONS.teaser });
        drop[i] = 1;
      }
      continue;
    }
    const why = residueReason(line);
    if (why) {
      removed.push({ text: line.trim(), reason: REASONS[why] });
      drop[i] = 1;
    }
  }
  if (removed.length === 0) return { text, removed };
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) if (!drop[i]) kept.push(lines[i]!);
  const out = kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\s*\n/, "")
    .trimEnd();
  return { text: out, removed };
}
