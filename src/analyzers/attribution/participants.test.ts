// Stage corrections of tagger relations (index.ts), fed with hand-made tagger output so that each case is
// exact: participant-only content, "in hopes of" adjuncts, raising cues ("is set to warn"), particle cues,
// reciprocal contents; and the speaker type of plural descriptors (speakers.ts).
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import type { Claim } from "../../schema/analysis.js";
import { attributeClaims, participantContent } from "./index.js";
import type { RawAttribution } from "./tagger/index.js";

interface Rel {
  source?: string;
  cue: string;
  content?: string[];
}

/** A tagger stand-in returning the given relations (first occurrence of each string in the text). */
function run(text: string, rels: Rel[]): { doc: Doc; claims: Claim[] } {
  const doc = Doc.create({ text });
  const at = (s: string) => {
    const i = doc.text.indexOf(s);
    if (i < 0) throw new Error(`not in text: ${s}`);
    return { start: i, end: i + s.length };
  };
  const raw: RawAttribution[] = rels.map((r) => ({
    source: r.source ? [at(r.source)] : null,
    cue: at(r.cue),
    content: (r.content ?? []).map(at),
    sentence: doc.sentenceAt(at(r.cue).start),
  }));
  return { doc, claims: attributeClaims(doc, { tagAttributions: () => raw }, { authorClaims: false }) };
}

const contents = (cs: Claim[]) => cs.map((c) => c.content.text);

describe("participant-only content", () => {
  it("the parties after 'talks between' are not what is claimed", () => {
    const text =
      "The visit was dominated by talks between the US Secretary of State and President Vladimir Putin.";
    const { claims } = run(text, [
      { cue: "talks between", content: ["the US Secretary of State and President Vladimir Putin"] },
    ]);
    expect(contents(claims)).toEqual([]);
  });

  it("a noun phrase of names right before an active cue is its subject (source), not its content", () => {
    const text = "Should more attacks occur, the U.S. and Russia will be pointing fingers at each other.";
    const { doc } = run(text, []);
    const cue = { start: text.indexOf("will be"), end: text.indexOf(" each") };
    const np = { start: text.indexOf("the U.S."), end: text.indexOf(" will") };
    const p = participantContent(doc, cue, [np]);
    expect(p?.content).toEqual([]);
    expect(
      doc.text.slice(doc.tokens.start[p!.subject!.tokStart]!, doc.tokens.end[p!.subject!.tokEnd - 1]!),
    ).toBe("the U.S. and Russia");
    // Without other content and with no lexicon cue, nothing is left to claim ("pointing" is not "point out";
    // "each other" would only name the same parties again).
    const { claims } = run(text, [{ cue: "will be pointing fingers at", content: ["the U.S. and Russia"] }]);
    expect(claims).toEqual([]);
  });

  it("a raising verb's subject stays in the content ('Clinton seemed to …': nobody speaks)", () => {
    const text = "Clinton seemed to implore Sanders to let up on his critiques.";
    const { doc } = run(text, []);
    const cue = { start: text.indexOf("seemed"), end: text.indexOf("seemed") + 6 };
    expect(participantContent(doc, cue, [{ start: 0, end: 7 }])).toBeNull();
  });

  it("real nominal cues keep their propositions and topics ('his claim that …', 'talks about Trump')", () => {
    const a = run("But his claim that Russia staged the attack will not go down well in Washington.", [
      { source: "his", cue: "claim", content: ["that Russia staged the attack"] },
    ]);
    expect(a.claims).toHaveLength(1);
    expect(a.claims[0]!.content.text).toMatch(/^Russia staged the attack/);
    const b = run("In the interview she talks about Donald Trump at length.", [
      { source: "she", cue: "talks about", content: ["Donald Trump"] },
    ]);
    expect(contents(b.claims)).toEqual(["Donald Trump"]);
  });
});

describe("sources from the sentence structure", () => {
  it("'in hopes of' includes 'in' and belongs to the main clause's subject", () => {
    const text =
      "Vladimir Putin hit back at the U.S. this morning with an outlandish claim in hopes of turning the tables on the White House.";
    const { claims } = run(text, [{ cue: "hopes of", content: ["turning the tables on the White House"] }]);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.cue?.text).toBe("in hopes of");
    expect(claims[0]!.speaker?.name).toBe("Vladimir Putin");
  });

  it("'X is set to warn' is not a passive: X speaks; 'X is expected to' keeps no source (PolNeAR)", () => {
    const text =
      "Meanwhile the Foreign Secretary Boris Johnson is set to warn Russia to abandon its support for Assad.";
    const { claims } = run(text, [
      { cue: "is set to warn", content: ["Russia to abandon its support for Assad"] },
    ]);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.speaker?.name).toBe("Boris Johnson");
    const e = run("The White House is expected to sign the measure next week.", [
      { cue: "is expected", content: ["to sign the measure next week"] },
    ]);
    expect(e.claims.map((c) => c.speaker ?? null)).toEqual([null]);
  });
});

describe("plural descriptors as speakers", () => {
  it("a group of countries is GPE and a group of organisations ORG, not ANONYMOUS; officials stay anonymous", () => {
    const a = run("The three countries are now asking for an independent investigation.", [
      { source: "The three countries", cue: "are now asking for", content: ["an independent investigation"] },
    ]);
    expect(a.claims[0]?.speaker).toMatchObject({ name: "The three countries", type: "GPE" });
    const b = run("The two companies are now asking for a review of the contract.", [
      { source: "The two companies", cue: "are now asking for", content: ["a review of the contract"] },
    ]);
    expect(b.claims[0]?.speaker?.type).toBe("ORG");
    const c = run("Officials said that prices would rise.", []);
    expect(c.claims.find((x) => x.cue?.text === "said")?.speaker?.type).toBe("ANONYMOUS");
  });
});
