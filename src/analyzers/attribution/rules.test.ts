// Rule patterns on invented sentences (rules only, no tagger): speaker, cue, content, kind,
// framing, hedges, evidence and the author's own claims.
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { Claim } from "../../schema/analysis.js";
import { createPipeline } from "../../pipeline/pipeline.js";
import { attributeClaims } from "./index.js";

function claims(text: string, title?: string): { doc: Doc; claims: Claim[] } {
  const doc = Doc.create({ text, ...(title && { title }) });
  return { doc, claims: attributeClaims(doc, null) };
}

/** Claims of the whole stage (entities layer, shipped tagger and source attacher), for what rules alone miss. */
let stage: ReturnType<typeof createPipeline> | null = null;
async function stageClaims(text: string): Promise<Claim[]> {
  const p = await (stage ??= createPipeline({ stages: ["entities", "attribution"] }));
  return p.run(Doc.create({ text })).layers.claims!;
}

function only(cs: Claim[], pred: (c: Claim) => boolean): Claim {
  const hits = cs.filter(pred);
  expect(hits.length, JSON.stringify(cs.map((c) => [c.speaker?.name, c.cue?.text, c.content.text]))).toBe(1);
  return hits[0]!;
}

const mention = (doc: Doc, c: Claim) => doc.text.slice(c.speaker!.start, c.speaker!.end);

describe("attribution rules", () => {
  it('"X said (that) …" with a resolved speaker, offsets into the text', () => {
    const { doc, claims: cs } = claims("Senator Jane Holloway said that the bridge will cost $4 billion.");
    const c = only(cs, (c) => c.cue?.text === "said");
    expect(c.kind).toBe("indirect");
    expect(c.speaker).toMatchObject({ name: "Jane Holloway", type: "PERSON" });
    expect(mention(doc, c)).toBe("Senator Jane Holloway");
    expect(c.content.text).toBe("the bridge will cost $4 billion");
    expect(doc.text.slice(c.content.start, c.content.end)).toBe(c.content.text);
    expect(c.cue!.framing).toBe("neutral");
  });

  it('"…, X said." and "“…,” said X" take the content before the cue', () => {
    const a = claims("Prices rose by 9 percent last year, Mark Eddington said.");
    const c = only(a.claims, (c) => c.cue?.text === "said");
    expect(c.speaker?.name).toBe("Mark Eddington");
    expect(c.content.text).toBe("Prices rose by 9 percent last year");
    const b = claims("“We will not withdraw our troops,” said Olaf Brenner.");
    const d = only(b.claims, (c) => c.cue?.text === "said");
    expect(d.kind).toBe("direct");
    expect(d.speaker?.name).toBe("Olaf Brenner");
    expect(d.content.text).toBe("We will not withdraw our troops");
  });

  it("a quoted name before “that” is not the content; a quote that is the clause's subject keeps its clause", () => {
    const a = claims(
      "Bernie Sanders told MSNBC’s “Morning Joe” on Friday that nobody would question her judgment.",
    );
    const c = only(a.claims, (c) => c.cue?.text === "told");
    expect(c.content.text).toBe("nobody would question her judgment");
    const b = claims("Olaf Brenner said that “the new plan” was a disaster for farmers.");
    const d = only(b.claims, (c) => c.cue?.text === "said");
    expect(d.content.text).toBe("“the new plan” was a disaster for farmers");
    // A quote that is the whole complement stays a direct quote.
    const e = claims("Olaf Brenner told reporters: “We will not withdraw our troops.”");
    expect(only(e.claims, (c) => c.cue?.text === "told").content.text).toBe(
      "We will not withdraw our troops",
    );
  });

  it("a quote running over sentences and paragraphs is one direct claim", () => {
    const text =
      "Maria Lopez spoke at length.\n\nShe said: “The plant is safe. The inspectors found nothing.\n\n“We have published every report.”";
    const { claims: cs } = claims(text);
    const c = only(cs, (c) => c.cue?.text === "said");
    expect(c.kind).toBe("direct");
    expect(c.speaker?.name).toBe("Maria Lopez");
    expect(c.content.text).toContain("The inspectors found nothing");
    expect(c.content.text).toContain("We have published every report");
  });

  it('"according to X" (before and after the content)', () => {
    const a = claims("According to the health ministry, 312 people were hospitalised.");
    const c = only(a.claims, (c) => c.kind === "according-to");
    expect(c.cue?.text).toBe("According to");
    expect(c.speaker?.type).toBe("ORG");
    expect(c.content.text).toBe("312 people were hospitalised");
    const b = claims("The dam was built in 1962, according to Pedro Alvarez.");
    const d = only(b.claims, (c) => c.kind === "according-to");
    expect(d.speaker?.name).toBe("Pedro Alvarez");
    expect(d.content.text).toBe("The dam was built in 1962");
  });

  it('"X\'s claim that …" and loaded framing of noun cues', () => {
    const { doc, claims: cs } = claims(
      "Critics mocked Tom Kerrigan's outlandish claim that the moon landing was filmed in Nevada.",
    );
    const c = only(cs, (c) => c.cue?.text.includes("claim") === true);
    expect(c.speaker?.name).toBe("Tom Kerrigan");
    expect(mention(doc, c)).toBe("Tom Kerrigan");
    expect(c.cue!.framing).toBe("loaded");
    expect(c.content.text).toBe("the moon landing was filmed in Nevada");
  });

  it("a common noun before a name is not part of the speaker, unless a title or part of an outlet's name", () => {
    const { doc, claims: cs } = claims(
      "There were a few times Angie said she was terrified. The Times reporter Maggie Haberman said the deal was off.",
    );
    expect(cs.map((c) => mention(doc, c))).toEqual(["Angie", "The Times reporter Maggie Haberman"]);
  });

  it('"X, who …, said" and appositive titles', () => {
    const a = claims("Anna Petrova, who chairs the committee, said the vote would be delayed.");
    expect(only(a.claims, (c) => c.cue?.text === "said").speaker?.name).toBe("Anna Petrova");
    const b = claims(
      "Gazprom's spokesman Sergei Kuprianov told reporters on Monday that deliveries had resumed.",
    );
    const c = only(b.claims, (c) => c.cue?.text === "told");
    expect(c.speaker?.name).toBe("Sergei Kuprianov");
    expect(c.content.text).toBe("deliveries had resumed");
    const d = claims("Ivan Sokolov, the ministry's spokesman, told reporters that the talks had failed.");
    const e = only(d.claims, (c) => c.cue?.text === "told");
    expect(e.speaker?.name).toBe("Ivan Sokolov");
    expect(e.content.text).toBe("the talks had failed");
  });

  it("pronouns go to the last PERSON subject; descriptors to the person whose titles fit", () => {
    const text =
      "German Chancellor Klaus Weber met Polish President Adam Nowak in Berlin. " +
      "He said the pipeline would be finished by May. " +
      "The Polish leader insisted that Warsaw had never agreed to the route.";
    const { doc, claims: cs } = claims(text);
    const he = only(cs, (c) => c.cue?.text === "said");
    expect(mention(doc, he)).toBe("He");
    expect(he.speaker?.name).toBe("Klaus Weber");
    const leader = only(cs, (c) => c.cue?.text === "insisted");
    expect(mention(doc, leader)).toBe("The Polish leader");
    expect(leader.speaker?.name).toBe("Adam Nowak");
    expect(leader.cue!.framing).toBe("distancing");
  });

  it("headline attributions are kind headline", () => {
    const { claims: cs } = claims("Officials met on Tuesday.", "Obrador: Mexico Will Not Pay For The Wall");
    const c = only(cs, (c) => c.kind === "headline");
    expect(c.speaker?.name).toBe("Obrador");
    expect(c.content.text).toBe("Mexico Will Not Pay For The Wall");
  });

  it("passives have no speaker; orgs, countries and anonymous sources are typed", () => {
    const a = claims("It was claimed that the vaccine had not been tested.");
    const p = only(a.claims, (c) => c.cue?.text === "was claimed");
    expect(p.speaker).toBeNull();
    expect(p.cue!.framing).toBe("distancing");
    const b = claims("China says that the tariffs violate trade rules.");
    expect(only(b.claims, (c) => c.cue?.text === "says").speaker).toMatchObject({
      name: "China",
      type: "GPE",
    });
    const c = claims("Western officials said the convoy had crossed the border.");
    const o = only(c.claims, (c) => c.cue?.text === "said");
    expect(o.speaker?.type).toBe("ANONYMOUS");
    expect(o.evidence.status).toBe("anonymous");
    expect(o.evidence.markers[0]?.type).toBe("anonymous-source");
  });

  it("more passives and unnamed sources", () => {
    const { doc, claims: cs } = claims(
      "The senator was quoted as saying that the bill was dead. It is alleged that the mayor took bribes. " +
        "Sources said the deal collapsed. According to sources familiar with the talks, the tariffs stay. " +
        "“We are done,” a spokesman for the ministry said. Reps for both Watson and Pattinson say that the two had fun.",
    );
    expect(
      mention(
        doc,
        only(cs, (c) => c.content.text === "the two had fun"),
      ),
    ).toBe("Reps for both Watson and Pattinson");
    expect(only(cs, (c) => c.cue?.text === "was quoted as saying").content.text).toBe("the bill was dead");
    const alleged = only(cs, (c) => c.cue?.text === "is alleged");
    expect(alleged.speaker).toBeNull();
    expect(alleged.cue!.framing).toBe("distancing");
    expect(only(cs, (c) => c.content.text === "the deal collapsed").speaker?.type).toBe("ANONYMOUS");
    const acc = only(cs, (c) => c.kind === "according-to");
    expect(mention(doc, acc)).toBe("sources familiar with the talks");
    expect(acc.evidence.status).toBe("anonymous");
    // wink tags this "alleged" ADJ; before "that" it is the verb.
    const paper = claims("The story ran. The paper, which is owned by AMI, alleged that he asked her out.");
    const allegation = only(paper.claims, (c) => c.content.text === "he asked her out");
    expect(mention(paper.doc, allegation)).toBe("The paper");
    expect(allegation.cue?.text).toBe("alleged");
    const doc2 = claims(
      "The plan is new. A document on the campaign’s website states that mothers get leave.",
    );
    expect(
      mention(
        doc2.doc,
        only(doc2.claims, (c) => c.content.text === "mothers get leave"),
      ),
    ).toBe("A document on the campaign’s website");
    const tabloid = claims("Pitt looked tired. The tabloid claims that the divorce left its marks.");
    expect(
      mention(
        tabloid.doc,
        only(tabloid.claims, (c) => c.content.text.startsWith("the divorce")),
      ),
    ).toBe("The tabloid");
    expect(
      mention(
        doc,
        only(cs, (c) => c.content.text === "We are done"),
      ),
    ).toBe("a spokesman for the ministry");
  });

  it("relative pronouns, possessives and sentence-initial plurals resolve sensibly", () => {
    const { claims: cs } = claims(
      "Bernie Sanders spoke first. Sanders said the plan was bad. Veterans said the war was lost. " +
        "The ruling angered Jon Tester, who said that the court had overreached.",
    );
    expect(only(cs, (c) => c.content.text === "the plan was bad").speaker).toMatchObject({
      name: "Bernie Sanders",
      type: "PERSON",
    });
    expect(only(cs, (c) => c.content.text === "the war was lost").speaker?.type).toBe("ANONYMOUS");
    expect(only(cs, (c) => c.content.text === "the court had overreached").speaker?.name).toBe("Jon Tester");
  });

  it("framing: endorsing and loaded verbs, loaded adverbs", () => {
    const { claims: cs } = claims(
      "Helen Marsh confirmed that the factory would close. Gary Lund sensationally claimed that the vote was rigged.",
    );
    expect(only(cs, (c) => c.cue?.text === "confirmed").cue!.framing).toBe("endorsing");
    expect(only(cs, (c) => c.cue?.text === "sensationally claimed").cue!.framing).toBe("loaded");
  });

  it("hedges and cited evidence carry spans", () => {
    const { doc, claims: cs } = claims(
      "Lena Ortiz said the fire may have been started deliberately. The agency said that satellite images show the camp was burned.",
    );
    const h = only(cs, (c) => c.speaker?.name === "Lena Ortiz");
    expect(h.hedges.map((x) => x.text)).toContain("may have been");
    for (const x of h.hedges) expect(doc.text.slice(x.start, x.end)).toBe(x.text);
    const e = only(cs, (c) => c.speaker?.type === "ORG");
    expect(e.evidence.status).toBe("cited");
    expect(e.evidence.markers.map((m) => m.text)).toEqual(
      expect.arrayContaining(["satellite images", "show"]),
    );
  });

  it("an unsupported statement in a later sentence marks the claim it refers to", () => {
    const text =
      "Rita Vance said the election had been stolen by foreign hackers. She offered no evidence for the accusation. " +
      "Omar Haddad said turnout was 61 percent.";
    const { claims: cs } = claims(text);
    const v = only(cs, (c) => c.speaker?.name === "Rita Vance");
    expect(v.evidence.status).toBe("unsupported");
    expect(v.evidence.markers.some((m) => m.type === "no-evidence" && m.text === "offered no evidence")).toBe(
      true,
    );
    expect(only(cs, (c) => c.speaker?.name === "Omar Haddad").evidence.status).toBe("none-stated");
  });

  it("a document as source is cited evidence; same-sentence 'without evidence'; hedges before the cue", () => {
    const { claims: cs } = claims(
      "A Pentagon report said that 40 soldiers died. Putin said, without offering evidence, that the West was behind it. Lee reportedly said that the deal was off.",
    );
    const report = only(cs, (c) => c.content.text === "40 soldiers died");
    expect(report.evidence.status).toBe("cited");
    expect(report.evidence.markers[0]).toMatchObject({ text: "report", type: "document-source" });
    const putin = only(cs, (c) => c.speaker?.name === "Putin");
    expect(putin.evidence.status).toBe("unsupported");
    expect(putin.content.text).toBe("the West was behind it");
    expect(only(cs, (c) => c.speaker?.name === "Lee").hedges.map((h) => h.text)).toEqual(["reportedly"]);
  });

  it("pronoun gender follows titles", () => {
    const { claims: cs } = claims(
      "Mr. Tom Hale met Mrs. Alva Reyes. “It never crossed my mind,” she said later. He said it was fine.",
    );
    expect(only(cs, (c) => c.content.text === "It never crossed my mind").speaker?.name).toBe("Alva Reyes");
    expect(only(cs, (c) => c.content.text === "it was fine").speaker?.name).toBe("Tom Hale");
  });

  it("content that reports a lack of proof is not itself unsupported", () => {
    const { claims: cs } = claims(
      "Kate Mills told reporters that the ministry failed to present proof of the deal.",
    );
    expect(only(cs, (c) => c.cue?.text === "told").evidence.status).toBe("none-stated");
  });

  it("the author's predictive or quantitative assertions are unattributed claims; plain narration is not", () => {
    const { claims: cs } = claims(
      "The talks ended on Friday. Inflation will exceed 7 percent next year. A war is now inevitable. The minister left the room.",
    );
    const authored = cs.filter((c) => c.kind === "unattributed");
    expect(authored.map((c) => c.content.text)).toEqual([
      "Inflation will exceed 7 percent next year",
      "A war is now inevitable",
    ]);
    for (const c of authored) {
      expect(c.speaker).toEqual({ name: "the author", type: "AUTHOR" });
      expect(c.cue).toBeNull();
    }
  });

  it("coordinated cues share the source; two attributions in one sentence split the content", () => {
    const p = claims(
      "Ann Lee spoke. She argued that taxes were too high and implied that spending was wasted.",
    );
    expect(p.claims.filter((c) => c.speaker?.name === "Ann Lee").map((c) => c.content.text)).toEqual([
      "taxes were too high",
      "spending was wasted",
    ]);
    const a = claims("Ben Ward argued that taxes were too high and suggested that spending be cut.");
    expect(a.claims.filter((c) => c.speaker?.name === "Ben Ward").map((c) => c.content.text)).toEqual([
      "taxes were too high",
      "spending be cut",
    ]);
    const b = claims(
      "While Iran claims that the drone was civilian, the US says that radar data show it was armed.",
    );
    expect(only(b.claims, (c) => c.speaker?.name === "Iran").content.text).toBe("the drone was civilian");
    const us = only(b.claims, (c) => c.speaker?.name === "United States");
    expect(us.content.text).toBe("radar data show it was armed");
    expect(us.evidence.status).toBe("cited");
  });

  it("degenerate inputs give schema-valid claims whose spans match the text", () => {
    for (const text of [
      "",
      "“",
      "He said.",
      "“Unclosed quote, he said",
      "According to",
      "It was claimed that.",
      "''",
      "X: ",
    ]) {
      const { doc, claims: cs } = claims(text);
      for (const c of cs) {
        expect(Claim.safeParse(c).success).toBe(true);
        expect(doc.text.slice(c.content.start, c.content.end).length).toBeGreaterThan(0);
        if (c.cue) expect(doc.text.slice(c.cue.start, c.cue.end)).toBe(c.cue.text);
      }
    }
  });

  it('"…, X said on Tuesday." / "said in a statement": a trailing adjunct is not the content', () => {
    for (const [text, speaker] of [
      [
        "The bridge over the Elm river will close for repairs in May, Anna Berg said on Tuesday.",
        "Anna Berg",
      ],
      ["The bridge over the Elm river will close for repairs in May, officials said Tuesday.", "officials"],
      [
        "The bridge over the Elm river will close for repairs in May, the ministry said in a statement.",
        "ministry",
      ],
    ] as const) {
      const c = only(claims(text).claims, (c) => c.cue?.text === "said");
      expect(c.speaker?.name ?? "").toContain(speaker);
      expect(c.content.text).toBe("The bridge over the Elm river will close for repairs in May");
    }
    // With a clause after the adjunct, the content follows the cue as before.
    const c = only(
      claims("Anna Berg said on Tuesday that the bridge would close.").claims,
      (c) => c.cue?.text === "said",
    );
    expect(c.content.text).toBe("the bridge would close");
    // No content at all: no claim.
    expect(claims("Anna Berg said on Tuesday.").claims).toEqual([]);
  });

  it('ends the content before ", but he did not offer any proof" and marks the claim unsupported', () => {
    const { claims: cs } = claims(
      'Opposition leader Tom Hale claimed the repairs were "a waste of money", but he did not offer any proof.',
    );
    const c = only(cs, (c) => c.cue?.text === "claimed");
    expect(c.content.text).toBe('the repairs were "a waste of money"');
    expect(c.evidence.status).toBe("unsupported");
    expect(c.evidence.markers.map((m) => m.text)).toContain("did not offer any proof");
    // A statement with its own subject is what the claim says.
    const p = only(
      claims(
        "Dmitry Peskov told reporters the US failed to present proof that Assad's forces were behind it.",
      ).claims,
      (c) => c.cue?.text === "told",
    );
    expect(p.content.text).toContain("failed to present proof");
  });

  it('"according to a report by X": the source takes its "by"/"from" phrase', () => {
    const c = only(
      claims("According to a report by the Pentagon, the strike killed 12 civilians.").claims,
      (c) => c.kind === "according-to",
    );
    expect(c.content.text).toBe("the strike killed 12 civilians");
    expect(c.evidence.status).toBe("cited");
    const d = only(
      claims("The strike killed 12 civilians, according to data from the Syrian Observatory.").claims,
      (c) => c.kind === "according-to",
    );
    expect(d.content.text).toBe("The strike killed 12 civilians");
    // The first noun phrase gives the type: a source at an outlet is still an unnamed source.
    const e = only(
      claims("Rihanna is smitten with Jameel, according to a source at the Daily Mail.").claims,
      (c) => c.kind === "according-to",
    );
    expect(e.speaker).toMatchObject({ name: "a source at the Daily Mail", type: "ANONYMOUS" });
    expect(e.evidence.status).toBe("anonymous");
    // A time after the source is neither source nor content.
    const f = only(
      claims("According to reports in November, the actor had relapsed.").claims,
      (c) => c.kind === "according-to",
    );
    expect(f.content.text).toBe("the actor had relapsed");
  });

  it("ends a noun cue's content before the sentence's own predicate", () => {
    const c = only(
      claims("The minister's claim that crime had fallen by 20 percent was disputed by police.").claims,
      (c) => c.cue?.text === "claim",
    );
    expect(c.content.text).toBe("crime had fallen by 20 percent");
    const d = only(
      claims("Officials rejected his claim that the vote was rigged and that thousands voted twice.").claims,
      (c) => c.cue?.text === "claim",
    );
    expect(d.content.text).toBe("the vote was rigged and that thousands voted twice");
    // A dash already closes the content; the verb group inside it belongs to the claim ("… information [that]
    // strikes are being planned").
    const e = only(
      claims(
        "His claims that the agency has information strikes are being planned by the army – the aim of which is to blame the rebels – will not go down well.",
      ).claims,
      (c) => c.cue?.text === "claims",
    );
    expect(e.content.text).toBe("the agency has information strikes are being planned by the army");
  });

  it('does not take a sentence-initial common word for a person ("Police said"), nor give it later descriptors', async () => {
    // With the entities layer, which decides what is a name.
    const entities = await createPipeline({ stages: ["entities"] });
    const doc = entities.run(
      Doc.create({
        text:
          "Police said the suspect was arrested at the scene. " +
          "The senator, who has long opposed the bill, told CNN on Sunday that it would fail.",
      }),
    );
    const cs = attributeClaims(doc, null);
    const police = only(cs, (c) => c.content.text.startsWith("the suspect"));
    expect(police.speaker).toMatchObject({ name: "Police", type: "ORG" });
    const senator = only(cs, (c) => c.cue?.text === "told");
    expect(senator.speaker?.name).toBe("The senator");
    expect(senator.content.text).toBe("it would fail");
  });

  it('"The key, he said, would be …": a cue inside the claim leaves both parts as its content', () => {
    const c = only(
      claims("Felkel spoke. The key, he said, would be winning over skeptical voters.").claims,
      (c) => c.cue?.text === "said",
    );
    expect(c.content.parts?.map((p) => c.content.text.length && p)).toHaveLength(2);
    expect(c.content.text).toBe("The key … would be winning over skeptical voters");
    // Not when the rest is the reporter's own clause or a participle.
    for (const t of [
      "Prices will rise, he said, but economists disagree.",
      "Prices will rise, he said, adding that wages would not.",
    ]) {
      const d = only(claims(t).claims, (c) => c.cue?.text === "said");
      expect(d.content.text).toBe("Prices will rise");
    }
  });

  it("strips a wire dateline from the content", () => {
    const { claims: cs } = claims(
      "COLUMBUS, Ohio — America has weakened under Obama, Jeb Bush said Tuesday.\n\nWASHINGTON (AP) — The Senate will vote on Friday, officials said.",
    );
    expect(cs.map((c) => c.content.text)).toEqual([
      "America has weakened under Obama",
      "The Senate will vote on Friday",
    ]);
  });

  it('drops "won\'t say it," and takes the inverted "…, said X, a strategist" instead', () => {
    const { claims: cs } = claims(
      "Though Bush and Rubio won’t say it, each probably would prefer the other not run, said Chip Felkel, a South Carolina Republican strategist.",
    );
    const c = only(cs, (c) => c.cue?.text === "said");
    expect(c.speaker?.name).toBe("Chip Felkel");
    expect(c.content.text).toContain("each probably would prefer the other not run");
    expect(cs.some((c) => c.content.text.startsWith("it,"))).toBe(false);
  });

  it("a refusal to comment is no claim; a comment that says something is (whole stage)", async () => {
    const cs = await stageClaims(
      "A spokesman for the bank declined to comment. The White House did not respond to a request for comment. " +
        "Smith refused to comment on the report, saying it was premature. Trump made the comment that Mexico would pay.",
    );
    expect(cs.filter((c) => /\bcomment/.test(c.content.text))).toEqual([]);
    expect(cs.map((c) => [c.speaker?.name, c.content.text])).toEqual([
      ["Smith", "it was premature"],
      ["Trump", "that Mexico would pay"],
    ]);
  });

  it("a pronoun after a quote is never a name inside that quote; the referent is found before the quote", () => {
    const { claims: cs } = claims(
      "“I was wondering when this would come up,” Bannon told Politico. “It’s been a while. Given my position at " +
        "the head of Donald Trump’s campaign, I was curious. I honestly didn’t expect them to take this long,” he said.",
    );
    expect(cs.map((c) => [c.speaker?.name, c.cue?.text])).toEqual([
      ["Bannon", "told"],
      ["Bannon", "said"],
    ]);
  });

  it("an indefinite role phrase is a new, unnamed source, not the last person named", () => {
    const { claims: cs } = claims(
      "Quentin Kidd, a political scientist, said the race was close. A reporter said the answer was evasive.",
    );
    expect(only(cs, (c) => c.content.text === "the answer was evasive").speaker).toMatchObject({
      name: "A reporter",
      type: "ANONYMOUS",
    });
  });

  it("a relative pronoun with no name before it stands for the noun phrase it follows (whole stage)", async () => {
    const cs = await stageClaims(
      "Scott's relatives, who asked authorities to release the video, said he was unarmed.",
    );
    const asked = only(cs, (c) => c.cue?.text === "asked");
    expect(asked.speaker?.name).toBe("Scott's relatives");
  });

  it("no speaker from a headline label, an expletive 'it', the reader 'you' or wink's one-token \"I'm\" (whole stage)", async () => {
    const p = await (stage ??= createPipeline({ stages: ["entities", "attribution"] }));
    for (const doc of [
      Doc.create({
        title: "PHOTOS: Kim Kardashian Shows Off New Look",
        text: "The star stepped out on Friday.",
      }),
      Doc.create({
        text: "The star stepped out on Friday.\n\nVIDEO: Kim Kardashian shows off her new look.",
      }),
    ])
      expect(
        p.run(doc).layers.claims!.filter((c) => /^(?:PHOTOS|VIDEO)$/.test(c.speaker?.name ?? "")),
      ).toEqual([]);
    const cs = await stageClaims(
      "My father was in the Air Force in WWII. Today, I’m thinking of him and of all who sacrificed.\n\n" +
        "It seems the couple has split. It appears that the show was cancelled. If you think the tax is fair, you are wrong.",
    );
    expect(cs.map((c) => [c.speaker?.name ?? null, c.cue?.text])).toEqual([
      ["the author", "thinking of"],
      [null, "seems"],
      [null, "appears"],
    ]);
  });

  it("ends a relative clause's claim at its comma", () => {
    const a = only(
      claims("Jon Tester, who said the bill would fail, voted no.").claims,
      (c) => c.cue?.text === "said",
    );
    expect(a.content.text).toBe("the bill would fail");
    const b = claims("Rubio, who announced his campaign Monday, “is a great guy,” Bush said.").claims;
    expect(b.some((c) => c.cue?.text === "announced" && c.content.text.includes("great guy"))).toBe(false);
  });

  it("takes a poll or data set as a cited source (shipped tagger)", async () => {
    const c = only(
      await stageClaims(
        "A Quinnipiac University poll released in early April showed Bush leading with 24 percent.",
      ),
      (c) => c.cue?.text === "showed",
    );
    expect(c.speaker?.type).toBe("ORG");
    expect(c.evidence.status).toBe("cited");
  });

  it("keeps a cue with its own content from taking the quote before it, and types organisations' spokespeople ORG (shipped tagger)", async () => {
    const c = only(
      await stageClaims(
        "Netflix has not renewed the show. “For me, letting Hannah go was in Season 1,” Langford said. “Season 2 was for Clay to let her go.” " +
          "Representatives for Netflix declined to discuss the status of the show.",
      ),
      (c) => c.cue?.text === "declined to discuss",
    );
    expect(c.content.text).toBe("the status of the show");
    expect(c.speaker).toMatchObject({ name: "Representatives for Netflix", type: "ORG" });
  });

  it("types a lone unknown name as a person only when a subject pronoun follows its verb (shipped tagger)", async () => {
    const cs = await stageClaims(
      "There were a few times Zelphia said she was terrified. Quorvex said it would close the plant. " +
        "Fans of the show Brindlemoor, she said, were loyal.",
    );
    expect(only(cs, (c) => c.content.text === "she was terrified").speaker).toMatchObject({
      name: "Zelphia",
      type: "PERSON",
    });
    expect(only(cs, (c) => c.speaker?.name === "Quorvex").speaker?.type).toBe("ORG");
    // a pronoun that is itself the subject of the cue does not make the name before it a person; it now
    // resolves to the person named before
    expect(only(cs, (c) => c.content.text.startsWith("Fans")).speaker?.name).toBe("Zelphia");
  });

  it("a name given by no one ('known as “Operation Dawn”') is no claim: the sentence stays the author's (shipped tagger)", async () => {
    const cs = await stageClaims(
      "Smith was a former gang member, according to the police. He was arrested in one of the largest raids in " +
        "Dayton, known as “Operation Dawn.” In 2009, he was sentenced to 12 years in prison.",
    );
    expect(cs.filter((c) => /known as/.test(c.cue?.text ?? ""))).toEqual([]);
    const raid = only(cs, (c) => c.content.text.startsWith("He was arrested"));
    expect(raid.speaker?.type).toBe("AUTHOR");
  });

  it("names a politician without the party parenthetical, the span still covering it (shipped tagger)", async () => {
    const text = "The vote was close. Rep. Vernon Quill (R-Ind.) said the bill would pass.";
    const c = only(await stageClaims(text), (x) => x.content.text === "the bill would pass");
    expect(c.speaker).toMatchObject({ name: "Vernon Quill", type: "PERSON" });
    expect(text.slice(c.speaker!.start, c.speaker!.end)).toBe("Rep. Vernon Quill (R-Ind.)");
    // Several tagged people are not the last of them.
    const group = "Sens. Ann Ford (D-Ore.), Bo Vance (D-Ohio) and Cy Reed (D-N.J.)";
    const g = only(await stageClaims(`The vote was close. ${group} said the bank must pay.`), (x) =>
      x.content.text.includes("bank"),
    );
    expect(g.speaker?.name).toBe(group);
    // A trailing adverb is when, not who; a capitalised one is part of a name.
    const later = await stageClaims(
      "The vote was close.\n\nAttorney General Vernon Quill today issued the following statement:\n\n" +
        "“During the review, we found that the bill would pass.”\n\nUSA Today said the bill would fail.",
    );
    const statement = only(later, (x) => x.content.text.startsWith("During the review"));
    expect(statement.speaker).toMatchObject({ name: "Vernon Quill", type: "PERSON" });
    expect(only(later, (x) => x.content.text === "the bill would fail").speaker?.name).toBe("USA Today");
  });

  it("a source cut after a name's first word reaches back to it ('In Touch reports', 'Us Weekly said')", async () => {
    const text =
      "The singer is pregnant. In Touch reports that the couple split. Us Weekly said she is fine.";
    const cs = await stageClaims(text);
    const split = only(cs, (x) => x.content.text === "the couple split");
    expect(split.speaker).toMatchObject({ type: "ORG" });
    expect(text.slice(split.speaker!.start, split.speaker!.end)).toBe("In Touch");
    const fine = only(cs, (x) => x.content.text === "she is fine");
    expect(fine.speaker).toMatchObject({ name: "Us Weekly", type: "ORG" });
    expect(text.slice(fine.speaker!.start, fine.speaker!.end)).toBe("Us Weekly");
  });

  it("a quantified group of people is an unnamed group, not its country; party members are their party (shipped tagger)", async () => {
    const cs = await stageClaims(
      "The poll was out. Most Americans do not support the plan. Many Republicans said the plan would fail.",
    );
    expect(only(cs, (c) => c.content.text === "the plan").speaker).toMatchObject({
      name: "Most Americans",
      type: "ANONYMOUS",
    });
    expect(only(cs, (c) => c.content.text === "the plan would fail").speaker).toMatchObject({
      name: "Many Republicans",
      type: "ANONYMOUS",
    });
  });

  it("outlets are organisations, mis-tagged name words included (shipped tagger)", async () => {
    const cs = await stageClaims(
      "The singer left the show early. According to Rolling Stone, the band will split. " +
        "A source told Elle that the tour was over. According to Vanity Fair, the album is done.",
    );
    const by = (t: string) => only(cs, (c) => c.content.text === t).speaker;
    expect(by("the band will split")).toMatchObject({ name: "Rolling Stone", type: "ORG" });
    expect(by("the album is done")).toMatchObject({ name: "Vanity Fair", type: "ORG" });
    expect(cs.some((c) => c.speaker?.name === "Elle" && c.speaker.type === "PERSON")).toBe(false);
  });

  it("types an unknown name with an age in apposition as a person (shipped tagger)", async () => {
    const cs = await stageClaims(
      "Zelphia, now 59, faced questions about the tour. “I am not going to stop,” Zelphia said. " +
        "Quorvex, 2019, said it would close the plant.",
    );
    expect(only(cs, (c) => c.content.text === "I am not going to stop").speaker).toMatchObject({
      name: "Zelphia",
      type: "PERSON",
    });
    expect(only(cs, (c) => c.speaker?.name === "Quorvex").speaker?.type).toBe("ORG");
  });

  it("interview transcripts: answers are the interviewee's direct claims, Q and A are no speakers (shipped tagger)", async () => {
    const text =
      "Interview: the mayor on the budget\n\nMayor Lena Hart spoke to us about the budget.\n\n" +
      "Q: Will taxes go up next year?\n\nA: No. Taxes will stay flat, and we will cut the deficit by 10 percent.\n\n" +
      "Q: What about the schools?\n\nA: The schools will get 5 percent more money than last year.";
    const cs = await stageClaims(text);
    expect(cs.some((c) => ["Q", "A", "Interview"].includes(c.speaker?.name ?? ""))).toBe(false);
    const answers = cs.filter((c) => c.cue?.text === ":");
    expect(answers.map((c) => c.content.text)).toEqual([
      "No. Taxes will stay flat, and we will cut the deficit by 10 percent",
      "The schools will get 5 percent more money than last year",
    ]);
    for (const c of answers) {
      expect(c).toMatchObject({ kind: "direct", speaker: { name: "Lena Hart", type: "PERSON" } });
      expect(text.slice(c.speaker!.start, c.speaker!.end)).toBe("A");
    }
    expect(cs.some((c) => c.kind === "unattributed")).toBe(false);
    // One "Q:" alone is no interview: "A." opening a list is not an answer either.
    const plain = await stageClaims("Q: is a letter.\n\nA. Smith said the plan would cost $5 million.");
    expect(plain.some((c) => c.kind === "direct" && c.cue?.text === ":")).toBe(false);
  });

  it("a question with no asker is no claim; an asker's question stays (shipped tagger)", async () => {
    const cs = await stageClaims(
      "Putin was asked whether he expected more strikes on Syria. Reporters asked whether the plan would survive.",
    );
    expect(cs.some((c) => c.content.text.startsWith("whether he expected"))).toBe(false);
    expect(only(cs, (c) => c.content.text.startsWith("whether the plan")).speaker?.name).toBe("Reporters");
  });

  it("pronouns agree with the gender the corpus gives a first name (shipped gazetteer)", async () => {
    const cs = await stageClaims(
      "Donald Trump praised Hillary Clinton on Monday. She said the deal was a mistake. He said it was not.",
    );
    expect(only(cs, (c) => c.content.text === "the deal was a mistake").speaker?.name).toBe(
      "Hillary Clinton",
    );
    expect(only(cs, (c) => c.content.text === "it was not").speaker?.name).toBe("Donald Trump");
  });

  it("continues a quote into the next quoted sentence of the paragraph (shipped tagger)", async () => {
    const c = only(
      await stageClaims(
        "“We have balanced the books without cutting services,” Chen told reporters at City Hall. “Nobody will lose their job.”",
      ),
      (c) => c.cue?.text === "told",
    );
    expect(c.kind).toBe("direct");
    expect(c.content.text).toBe(
      "We have balanced the books without cutting services … Nobody will lose their job",
    );
  });

  it('reads "May" as the month unless a verb follows it', () => {
    const month = only(
      claims("The bridge will close for repairs in May, Anna Berg said.").claims,
      (c) => c.cue?.text === "said",
    );
    expect(month.hedges).toEqual([]);
    const modal = only(
      claims("The bridge may close for repairs, Anna Berg said.").claims,
      (c) => c.cue?.text === "said",
    );
    expect(modal.hedges.map((h) => h.text)).toEqual(["may"]);
  });

  it("does not take adjectival cue words or quoted nested cues as attributions", () => {
    const { claims: cs } = claims(
      "The alleged attack was reported in March. “I think they said nothing,” Dana Kim said.",
    );
    expect(cs.filter((c) => c.kind !== "unattributed").map((c) => c.speaker?.name)).toEqual(["Dana Kim"]);
  });
});

describe("source phrases with a modifier", () => {
  const speakerOf = (text: string) => {
    const { doc, claims: cs } = claims(text);
    const c = only(cs, (c) => c.cue?.text === "said");
    return { name: c.speaker!.name, type: c.speaker!.type, mention: mention(doc, c) };
  };

  it("takes the whole subject phrase and names its head, not a place in its modifier", () => {
    const s = speakerOf("A G7 foreign ministers' meeting in Italy said that Russia must end the war.");
    expect(s.mention).toBe("A G7 foreign ministers' meeting in Italy");
    expect(s.name).not.toBe("Italy");
    expect(s).toMatchObject({ name: "A G7 foreign ministers' meeting in Italy", type: "ORG" });
  });

  it("keeps a person in the head, names inside titles and organisation names whole", () => {
    expect(speakerOf("Senator Chris Murphy of Connecticut said that the bill would fail.")).toMatchObject({
      name: "Chris Murphy",
      type: "PERSON",
      mention: "Senator Chris Murphy of Connecticut",
    });
    expect(speakerOf("US Secretary of State Rex Tillerson said that the regime has no future.").name).toBe(
      "Rex Tillerson",
    );
    expect(speakerOf("The Bank of America said that profits fell.")).toMatchObject({
      name: "Bank of America",
      type: "ORG",
    });
  });

  it('does not grow a subject over a temporal preposition ("days after Smith")', () => {
    expect(speakerOf("Two days after Smith said that the vote was rigged, he resigned.").mention).toBe(
      "Smith",
    );
  });
});
