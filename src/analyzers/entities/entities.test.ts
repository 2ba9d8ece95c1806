import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Doc, type DocInput } from "../../doc/doc.js";
import { fromPlainText } from "../../ingest/index.js";
import type { Entity } from "../../schema/analysis.js";
import { describeShared, sharedPath } from "../../testing/shared.js";
import type { Stage } from "../../pipeline/stage.js";
import { createEntitiesStage } from "./index.js";
import { entityAt } from "./lookup.js";

let stage: Stage;
beforeAll(async () => {
  stage = await createEntitiesStage({});
});

function run(input: string | DocInput): { doc: Doc; entities: Entity[] } {
  const doc = Doc.create(typeof input === "string" ? { text: input } : input);
  const entities = stage.run(doc, { options: {} }) as Entity[];
  doc.layers.entities = entities;
  return { doc, entities };
}

function byAlias(entities: Entity[], alias: string): Entity | undefined {
  return entities.find((e) => e.name === alias || e.aliases.includes(alias));
}

function person(entities: Entity[], name: string): Entity {
  const e = entities.find((x) => x.type === "PERSON" && x.name === name);
  if (!e) throw new Error(`no PERSON "${name}" in ${entities.map((x) => `${x.type}:${x.name}`).join(", ")}`);
  return e;
}

function expectOffsetsExact(doc: Doc, entities: Entity[]): void {
  for (const e of entities) for (const m of e.mentions) expect(doc.text.slice(m.start, m.end)).toBe(m.text);
}

describeShared("entities: putin-us-strike-syria.txt", ["examples/putin-us-strike-syria.txt"], () => {
  let doc: Doc;
  let entities: Entity[];
  beforeAll(() => {
    ({ doc, entities } = run(
      fromPlainText(readFileSync(sharedPath("examples/putin-us-strike-syria.txt"), "utf8")),
    ));
  });

  it("finds Putin with his descriptor and possessive alias", () => {
    const putin = person(entities, "Vladimir Putin");
    expect(putin.aliases).toEqual(
      expect.arrayContaining(["Putin", "The Russian leader", "Russia's Vladimir Putin"]),
    );
    // the headline mention "Putin:" belongs to him as well
    expect(putin.mentions.some((m) => m.start < doc.meta.headline!.end)).toBe(true);
  });

  it("links America's top diplomat to Rex Tillerson through the Secretary of State role", () => {
    const t = person(entities, "Rex Tillerson");
    expect(t.aliases).toContain("America's top diplomat");
    expect(t.roles?.some((r) => /Secretary of State/.test(r))).toBe(true);
  });

  it("finds Mattarella and Johnson with their titles", () => {
    expect(person(entities, "Sergio Mattarella").roles).toEqual(
      expect.arrayContaining(["Italian President"]),
    );
    expect(person(entities, "Boris Johnson").aliases).toContain("Foreign Secretary");
  });

  it("keeps the spellings of Assad in one entity", () => {
    const assad = person(entities, "Bashar al-Assad");
    expect(assad.aliases).toEqual(expect.arrayContaining(["Bashar-al Assad", "Bashar Assad", "Assad"]));
    expect(entities.filter((e) => e.aliases.includes("Assad"))).toHaveLength(1);
  });

  it("types places and organisations", () => {
    expect(byAlias(entities, "U.S.")?.type).toBe("GPE");
    expect(byAlias(entities, "US")).toBe(byAlias(entities, "U.S."));
    expect(byAlias(entities, "Russia")?.type).toBe("GPE");
    expect(byAlias(entities, "Islamic State")?.type).toBe("ORG");
    expect(byAlias(entities, "Damascus")?.type).toBe("GPE");
  });

  it("does not make persons of headline words or sentence-initial common words", () => {
    const people = entities.filter((e) => e.type === "PERSON");
    const headEnd = doc.meta.headline!.end;
    for (const p of people) for (const m of p.mentions) if (m.start < headEnd) expect(m.text).toBe("Putin");
    const all = entities.flatMap((e) => e.aliases.map((a) => a.toLowerCase()));
    for (const bad of [
      "will strike",
      "strike",
      "capital",
      "fake",
      "escalation",
      "you might also like",
      "might",
    ])
      expect(all).not.toContain(bad);
    expectOffsetsExact(doc, entities);
  });
});

describeShared("entities: lavrov-attack-staged.txt", ["examples/lavrov-attack-staged.txt"], () => {
  let doc: Doc;
  let entities: Entity[];
  beforeAll(() => {
    ({ doc, entities } = run(
      fromPlainText(readFileSync(sharedPath("examples/lavrov-attack-staged.txt"), "utf8")),
    ));
  });

  it("resolves Lavrov's honorific and descriptor mentions", () => {
    const l = person(entities, "Sergei Lavrov");
    expect(l.aliases).toEqual(expect.arrayContaining(["Mr. Lavrov", "The Russian foreign minister"]));
    // the headline title "Russian Foreign Minister" is tied to him too
    expect(l.mentions.some((m) => m.text === "Russian Foreign Minister")).toBe(true);
  });

  it("ties Kremlin's spokesman (curly apostrophe in the text) to Dmitry Peskov", () => {
    const p = person(entities, "Dmitry Peskov");
    expect(p.aliases).toContain("Kremlin's spokesman");
    const m = p.mentions.find((x) => x.text.startsWith("Kremlin"));
    expect(m?.text).toBe("Kremlin’s spokesman");
  });

  it("ties Russia's strongman to Vladimir Putin and finds Tillerson", () => {
    expect(person(entities, "Vladimir Putin").aliases).toContain("Russia's strongman");
    person(entities, "Rex Tillerson");
  });

  it("types Russia, Syria, the US and ISIS", () => {
    expect(byAlias(entities, "Russia")?.type).toBe("GPE");
    expect(byAlias(entities, "Syria")?.type).toBe("GPE");
    expect(byAlias(entities, "US")?.type).toBe("GPE");
    expect(byAlias(entities, "United States")).toBe(byAlias(entities, "US"));
    expect(byAlias(entities, "ISIS")?.type).toBe("ORG");
  });

  it("does not make entities of days and months", () => {
    const all = entities.flatMap((e) => e.mentions.map((m) => m.text));
    for (const bad of ["Friday", "Wednesday", "April", "April 14th"]) expect(all).not.toContain(bad);
    expectOffsetsExact(doc, entities);
  });

  it("entityAt finds the entity under a speaker span", () => {
    const i = doc.text.indexOf("Dmitry Peskov");
    expect(entityAt(doc, i, i + "Dmitry Peskov".length)?.name).toBe("Dmitry Peskov");
    const j = doc.text.indexOf("The Russian foreign minister");
    expect(entityAt(doc, j, j + 28)?.name).toBe("Sergei Lavrov");
  });
});

// Invented snippets (not from any real article), one per rule.
describe("entities: rules on invented snippets", () => {
  it("chunks names with particles and splits the possessive off", () => {
    const { doc, entities } = run(
      "Officials said Osama bin Laden's courier met Abu Bakr al-Baghdadi in the town.",
    );
    const obl = person(entities, "Osama bin Laden");
    expect(obl.mentions[0]!.text).toBe("Osama bin Laden");
    expect(entities.some((e) => e.type === "PERSON" && e.name === "Abu Bakr al-Baghdadi")).toBe(true);
    expectOffsetsExact(doc, entities);
  });

  it("types a name no list knows as a person from an age in apposition, in all its mentions", () => {
    const { entities } = run(
      "The show ended early. Zelphia, now 59, left the stage. Later Zelphia waved. " +
        "The astronaut Quarn Vedrick thanked fans. Vedrick, 88, smiled. Tabletop, 2019, was a game.",
    );
    const z = entities.filter((e) => e.name === "Zelphia");
    expect(z.map((e) => [e.type, e.mentions.length])).toEqual([["PERSON", 2]]);
    const v = person(entities, "Quarn Vedrick");
    expect(v.mentions.map((m) => m.text)).toEqual(["Quarn Vedrick", "Vedrick"]);
    expect(entities.find((e) => e.name === "Tabletop")?.type).not.toBe("PERSON");
  });

  it("types a place before a state abbreviation, the dateline's capitals and the abbreviation itself as GPE", () => {
    const { entities } = run(
      "QUARNVILLE, Mich. — A man was hurt in Quarnville on Monday. The Quarnville police said little. " +
        "The Centers for Disease Control and Prevention sent staff. Protesters marched in Washington, D.C., on Friday.",
    );
    const q = entities.filter((e) => e.name.toLowerCase() === "quarnville");
    expect(q.map((e) => [e.type, e.mentions.length])).toEqual([["GPE", 3]]);
    expect(entities.find((e) => e.name === "Mich.")?.type).toBe("GPE");
    // "D.C." is a place here, not the acronym of "Disease Control".
    const dc = entities.find((e) => e.mentions.some((m) => m.text === "D.C."))!;
    expect(dc.type).toBe("GPE");
    expect(dc.mentions.map((m) => m.text)).toEqual(["D.C."]);
  });

  it("splits a title from the name and keeps it as a role", () => {
    const { entities } = run(
      "Yesterday Defense Minister Tomas Wielander said the border was calm. Wielander left.",
    );
    const w = person(entities, "Tomas Wielander");
    expect(w.roles).toContain("Defense Minister");
    expect(w.aliases).toContain("Wielander");
  });

  it("ties an apposition to the person before it", () => {
    const { entities } = run("Marta Quillon, the Kremlin's spokeswoman, told reporters nothing had changed.");
    const q = person(entities, "Marta Quillon");
    expect(q.aliases).toContain("the Kremlin's spokeswoman");
  });

  it("resolves honorifics to the full name", () => {
    const { entities } = run("Karl Oberhauser arrived on Monday. Mr. Oberhauser then spoke for an hour.");
    expect(person(entities, "Karl Oberhauser").aliases).toContain("Mr. Oberhauser");
  });

  it("links a definite descriptor that is the subject of the next sentence", () => {
    const { entities } = run(
      "Prime Minister Ilse Varnholt dismissed the report on Tuesday. The German leader said the figures were invented.",
    );
    expect(person(entities, "Ilse Varnholt").aliases).toContain("The German leader");
  });

  it("infers the person behind a role with country agreement", () => {
    const { entities } = run(
      "French Foreign Minister Jules Marchand met Russian Foreign Minister Ivan Petrenko in Geneva. " +
        "Later the talks broke down. On Friday, Russia's top diplomat accused the West of sabotage.",
    );
    expect(person(entities, "Ivan Petrenko").aliases).toContain("Russia's top diplomat");
    expect(person(entities, "Jules Marchand").aliases).not.toContain("Russia's top diplomat");
  });

  it("does not tie a descriptor across a country conflict", () => {
    const { entities } = run(
      "Ivan Petrenko, Russia's foreign minister, spoke first. The French foreign minister replied.",
    );
    expect(person(entities, "Ivan Petrenko").aliases).not.toContain("The French foreign minister");
  });

  it("unifies country variants and acronyms", () => {
    const { entities } = run(
      "The U.S. and the United States Army are not the same thing, but America pays for both. " +
        "The National Rural Broadband Council (NRBC) agreed. The NRBC met again.",
    );
    const us = byAlias(entities, "U.S.");
    expect(us?.type).toBe("GPE");
    expect(us?.aliases).toContain("America");
    const council = byAlias(entities, "NRBC");
    expect(council?.type).toBe("ORG");
    expect(council?.aliases).toContain("National Rural Broadband Council");
  });

  it("precision traps: sentence-initial words, title-case headlines, days, months and shouting", () => {
    const { entities } = run({
      title: "Leader Will Strike Rebel Capital Before Summer",
      text: "Escalation is unavoidable. Analysts expect FAKE reports on Monday and again in March. Nobody knows.",
    });
    const people = entities.filter((e) => e.type === "PERSON");
    expect(people).toHaveLength(0);
    const all = entities.flatMap((e) => e.mentions.map((m) => m.text));
    for (const bad of [
      "Will",
      "Will Strike",
      "Strike",
      "Escalation",
      "FAKE",
      "Monday",
      "March",
      "Nobody",
      "Analysts",
    ])
      expect(all).not.toContain(bad);
  });

  it("splits a title inside a chunk and keeps the organisation before it", () => {
    const { entities } = run("Yesterday Quarnby Logistics CEO Helga Strandqvist said profits fell.");
    expect(person(entities, "Helga Strandqvist").roles).toContain("CEO");
    expect(byAlias(entities, "Quarnby Logistics")?.type).not.toBe("PERSON");
  });

  it("does not make a person of an organisation that starts with a role word", () => {
    const { entities } = run("Reporters asked the Justice Department and the Department of Justice again.");
    expect(entities.filter((e) => e.type === "PERSON")).toHaveLength(0);
    expect(byAlias(entities, "Department of Justice")?.type).toBe("ORG");
    expect(byAlias(entities, "Justice Department")?.type).toBe("ORG");
  });

  it("does not resolve predicates, generic or possessor descriptors", () => {
    const text =
      "Senator Ada Rimmel spoke on Monday. Rimmel said she will never be the senator they want. " +
      "The next senator must fix it. The senator's office agreed. Later the senator left.";
    const { entities } = run(text);
    const r = person(entities, "Ada Rimmel");
    const starts = new Set(r.mentions.map((m) => m.start));
    expect(starts.has(text.indexOf("the senator they"))).toBe(false);
    expect(starts.has(text.indexOf("The next senator"))).toBe(false);
    expect(starts.has(text.indexOf("The senator's"))).toBe(false);
    // the same descriptor as a plain reference is resolved
    expect(starts.has(text.indexOf("the senator left"))).toBe(true);
  });

  it("checks party agreement for descriptors", () => {
    const { entities } = run(
      "Republican nominee Colm Ardfert met voters in Ohio. The Democratic nominee stayed home. The Republican nominee left.",
    );
    const c = person(entities, "Colm Ardfert");
    expect(c.aliases).toContain("The Republican nominee");
    expect(c.aliases).not.toContain("The Democratic nominee");
  });

  it("entityAt prefers the mention with the largest overlap and returns undefined elsewhere", () => {
    const { doc } = run("Russian President Vladimir Putin spoke. The weather was fine.");
    const i = doc.text.indexOf("Vladimir Putin");
    expect(entityAt(doc, i, i + 14)?.name).toBe("Vladimir Putin");
    const w = doc.text.indexOf("weather");
    expect(entityAt(doc, w, w + 7)).toBeUndefined();
  });
});
