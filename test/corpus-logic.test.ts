// Corpus analysis logic on constructed inputs: speaker aliasing, claim grouping and relations,
// contradiction rules, MinHash near-duplicates, incremental story clustering, dataset readers, domains.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contradiction, groupClaims, sameSpeaker, type ClaimRecord } from "../src/corpus/claims.js";
import { jaccard, LshIndex, minhash } from "../src/corpus/minhash.js";
import { StoryClusterer } from "../src/corpus/stories.js";
import { contentHash, domainOf, stem } from "../src/corpus/text.js";
import { countRecords, readDataset, toIsoDate } from "../src/ingest/datasets.js";

let nextId = 1;
function claim(
  speaker: string | null,
  text: string,
  articleId: number,
  published: string | null = null,
): ClaimRecord {
  return { id: nextId++, articleId, published, speaker, speakerType: null, text };
}

describe("speakers", () => {
  it("aliases a surname to the full name and country metonyms to the country", () => {
    expect(sameSpeaker("Putin", "Vladimir Putin")).toBe(true);
    expect(sameSpeaker("Russian President Vladimir Putin", "Putin")).toBe(true);
    expect(sameSpeaker("the Kremlin", "Russia")).toBe(true);
    expect(sameSpeaker("Washington", "United States")).toBe(true);
    expect(sameSpeaker("Sergei Lavrov", "Vladimir Putin")).toBe(false);
    expect(sameSpeaker("Russia", "United States")).toBe(false);
    expect(sameSpeaker(null, "Putin")).toBe(false);
  });
});

describe("contradictions", () => {
  it("finds incompatible accounts of one event (what the strike hit)", () => {
    const ru = claim(
      "Russia",
      "the Syrian military struck (by mistake) a building where ISIS terrorists stashed chemical weapons",
      1,
    );
    const us = claim(
      "United States",
      "satellite imagery proves the Syrian bomb produced a crater in a road, as opposed to hitting a building",
      1,
    );
    const d = contradiction(ru, us);
    expect(d).not.toBeNull();
    expect(d!.reason).toMatch(/incompatible accounts/);
    expect(d!.reason).toMatch(/as opposed to hitting a building/);
  });

  it("finds a negated predicate and antonymous predicates", () => {
    const a = claim("Mayor Smith", "the new bridge over the river will open to traffic in May", 1);
    const b = claim("City Council", "the new bridge over the river will not open to traffic in May", 2);
    expect(contradiction(a, b)?.reason).toMatch(/^negation/);
    const c = claim("Agency A", "unemployment in the region rose sharply last year", 1);
    const d = claim("Agency B", "unemployment in the region fell sharply last year", 2);
    expect(contradiction(c, d)?.reason).toMatch(/antonymous predicates \(rise vs fall\)/);
  });

  it("finds a denial of the other account's event", () => {
    const a = claim("Boris Johnson", "the chemical attack in Idlib killed dozens of civilians", 1);
    const b = claim("Sergei Lavrov", "the chemical attack in Idlib was staged", 2);
    expect(contradiction(a, b)?.reason).toMatch(/^denial/);
  });

  it("does not take other events for the denied one, and asks that the unproven predicate be asserted", () => {
    const staged = claim("Sergei Lavrov", "Syria Chemical Attack was Staged", 2);
    const future = claim(
      "Vladimir Putin",
      "there will be more coordinated attacks to come and the U.S. is preparing to attack the Syrian capital",
      1,
    );
    expect(contradiction(future, staged)).toBeNull();
    const past = claim(
      "Rex Tillerson",
      "the latest chemical weapons attack in Syria killed his own people",
      1,
    );
    expect(contradiction(past, staged)?.reason).toMatch(/^denial/);
    const unproven = claim(
      "Dmitry Peskov",
      "the US failed to present proof that Bashar al Assad's forces were behind the chemical attack in Idlib",
      2,
    );
    const mentions = claim(
      "Sergei Lavrov",
      "US forces must refrain from further attacks on the Syrian army and from efforts to oust Bashar al Assad",
      2,
    );
    expect(contradiction(mentions, unproven)).toBeNull();
    const asserts = claim(
      "Rex Tillerson",
      "there is no future for his regime following the latest chemical weapons attack on his own people",
      1,
    );
    expect(contradiction(asserts, unproven)?.reason).toMatch(/^denial/);
  });

  it("does not call unrelated or merely different claims disputes", () => {
    const a = claim("Putin", "Russia would tolerate Western criticism of its role in Syria", 1);
    const b = claim("Boris Johnson", "there was now an opportunity to reset relations with the West", 2);
    expect(contradiction(a, b)).toBeNull();
    // The same speaker is not counted as disputing themself.
    const c = claim("Putin", "the bridge will open in May", 1);
    const d = claim("Vladimir Putin", "the bridge will not open in May", 2);
    expect(contradiction(c, d)).toBeNull();
    // A negation that governs other words ("no future") does not negate the shared content.
    const e = claim("Putin", "the US is planning to fake chemical weapons attacks", 1);
    const f = claim(
      "Boris Johnson",
      "there is no future for his regime following the latest chemical weapons attack",
      2,
    );
    expect(contradiction(e, f)).toBeNull();
  });
});

describe("claim grouping", () => {
  it("groups the same claim across outlets with makes / repeats / supports and links disputes", () => {
    const claims = [
      claim(
        "Vladimir Putin",
        "the US is preparing airstrikes on the Syrian capital Damascus",
        1,
        "2017-04-11",
      ),
      claim("Putin", "the US is preparing new airstrikes on the Syrian capital Damascus", 2, "2017-04-12"),
      claim("RT", "the US is preparing airstrikes on the Syrian capital Damascus", 3, "2017-04-12"),
      claim("Pentagon", "the US is not preparing airstrikes on the Syrian capital Damascus", 4, "2017-04-13"),
      claim("Weather service", "heavy rain is expected in London on Sunday", 3, "2017-04-12"),
    ];
    const { groups, disputes } = groupClaims(claims);
    const g = groups.find((x) => x.members.length >= 3)!;
    expect(g).toBeDefined();
    const rel = Object.fromEntries(
      g.sources.filter((s) => s.relation !== "disputes").map((s) => [s.articleId, s.relation]),
    );
    expect(rel).toEqual({ 1: "makes", 2: "repeats", 3: "supports" });
    expect(g.speakers).toEqual(["Vladimir Putin", "RT"]);
    const denial = groups.find((x) => x.members.some((m) => m.claim.speaker === "Pentagon"))!;
    expect(denial.index).not.toBe(g.index);
    expect(disputes.some((d) => [d.a, d.b].includes(g.index) && [d.a, d.b].includes(denial.index))).toBe(
      true,
    );
    expect(g.sources.some((s) => s.articleId === 4 && s.relation === "disputes")).toBe(true);
    // The unrelated claim stays alone and undisputed.
    const rain = groups.find((x) => x.text.includes("rain"))!;
    expect(rain.members).toHaveLength(1);
    expect(disputes.some((d) => d.a === rain.index || d.b === rain.index)).toBe(false);
  });

  it("uses the claim–article stance model for articles without the claim", () => {
    const claims = [claim("Putin", "the chemical attack in Idlib was staged by the rebels", 1)];
    const articles = [
      { id: 1, title: "Putin: Idlib chemical attack staged", body: "" },
      { id: 2, title: "Evidence shows the Idlib chemical attack was real", body: "" },
      { id: 3, title: "Football results of the weekend", body: "" },
    ];
    const calls: string[] = [];
    const { groups } = groupClaims(claims, {
      articles,
      stance: (_c, a) => {
        calls.push(a.title);
        return a.title.startsWith("Evidence") ? "disagree" : "agree";
      },
    });
    expect(calls).toEqual(["Evidence shows the Idlib chemical attack was real"]);
    expect(groups[0]!.sources).toContainEqual({ articleId: 2, relation: "disputes", claimId: null });
  });
});

describe("near-duplicates", () => {
  const base =
    "The city council voted on Tuesday to approve a new budget that increases spending on schools, roads and " +
    "public transport, while cutting funds for the mayor's office and several advisory committees. The vote was " +
    "seven to two, with the two dissenting members arguing that the plan relies on optimistic revenue forecasts.";
  it("estimates Jaccard similarity: near-identical texts score high, different texts low", () => {
    const a = minhash(base);
    const b = minhash(base.replace("seven to two", "seven to two.") + " Updated at 5pm.");
    const c = minhash(
      "A completely different article about football, the weekend results and a new coach in Madrid.",
    );
    expect(jaccard(a, b)).toBeGreaterThan(0.8);
    expect(jaccard(a, c)).toBeLessThan(0.1);
    const lsh = new LshIndex<number>();
    lsh.add(1, a);
    lsh.add(2, c);
    expect(lsh.best(b, 0.8)?.key).toBe(1);
    lsh.remove(1);
    expect(lsh.best(b, 0.8)).toBeNull();
  });
  it("hashes content after normalising case, quotes and whitespace", () => {
    expect(contentHash("Title", "It’s  here\n")).toBe(contentHash("title", "it's here"));
    expect(contentHash("Title", "It is here")).not.toBe(contentHash("Title", "It was here"));
  });
});

describe("story clustering", () => {
  it("joins articles about one event and opens a new story for another", () => {
    const c = new StoryClusterer();
    const add = (terms: Record<string, number>, date: string | null) => {
      c.observe(terms);
      const vec = c.vector(terms);
      const asg = c.assign(vec, date);
      if (asg.storyId === null) return c.open(c.stories.size + 1, "t", vec, date).id;
      return c.join(asg.storyId, vec, date).id;
    };
    const syria1 = add(
      { syria: 4, chemical: 3, attack: 3, "e:vladimir putin": 2, idlib: 2, strike: 2 },
      "2017-04-10",
    );
    const football = add({ football: 4, goal: 3, madrid: 3, coach: 2, league: 2 }, "2017-04-10");
    const syria2 = add(
      { syria: 3, chemical: 2, attack: 2, "e:sergei lavrov": 2, idlib: 1, staged: 2 },
      "2017-04-12",
    );
    expect(syria1).not.toBe(football);
    expect(syria2).toBe(syria1);
    // The same terms a year later are another event.
    const later = add({ syria: 4, chemical: 3, attack: 3, idlib: 2, strike: 2 }, "2018-04-10");
    expect(later).not.toBe(syria1);
  });
});

describe("story clustering across sites", () => {
  it("asks more of pages from the site a story came from (shared boilerplate), not of other outlets", () => {
    const run = (secondSource: string) => {
      const c = new StoryClusterer({ threshold: 0.3, sameSiteThreshold: 0.9 });
      const a = { menu: 3, subscribe: 3, celebrity: 2, gossip: 2, aniston: 3, theroux: 2, split: 2 };
      const b = { menu: 3, subscribe: 3, celebrity: 2, gossip: 2, aniston: 3, dating: 2, rumor: 2 };
      c.observe(a);
      const va = c.vector(a);
      c.open(1, "a", va, null, "site.com");
      c.observe(b);
      return c.assign(c.vector(b), null, secondSource);
    };
    const other = run("other.com");
    expect(other.storyId).toBe(1);
    expect(other.similarity).toBeLessThan(0.9);
    expect(run("site.com").storyId).toBeNull();
  });
});

describe("text helpers", () => {
  it("reads the publishing domain, unwrapping archive.org snapshots", () => {
    expect(domainOf("https://www.forbes.com/sites/x")).toBe("forbes.com");
    expect(domainOf("https://web.archive.org/web/20171107225820/https://www.forbes.com/sites/x/")).toBe(
      "forbes.com",
    );
    expect(domainOf("people.com/article")).toBe("people.com");
    expect(domainOf(undefined)).toBeNull();
  });
  it("stems so that inflections meet", () => {
    expect(stem("attacks")).toBe(stem("attack"));
    expect(stem("struck")).toBe(stem("strikes"));
    expect(stem("stashed")).toBe("stash");
  });
});

describe("dataset readers", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-ds-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads FakeNewsNet-style JSONL with epoch dates and stable keys", async () => {
    const f = join(dir, "fnn.jsonl");
    writeFileSync(
      f,
      [
        {
          id: "p1",
          label: "fake",
          url: "https://a.com/x",
          title: "T1",
          text: "Body one.",
          authors: ["A", "B"],
          publish_date: 1491868800.0,
          source: "https://a.com",
        },
        {
          id: "p2",
          label: "real",
          url: "",
          title: "T2",
          text: "",
          authors: [],
          publish_date: null,
          source: null,
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const recs = [];
    for await (const r of readDataset(f)) recs.push(r);
    expect(countRecords(f)).toBe(2);
    expect(recs.map((r) => r.sourceKey)).toEqual(["fnn.jsonl#p1", "fnn.jsonl#p2"]);
    expect(recs[0]!.input).toMatchObject({
      title: "T1",
      text: "Body one.",
      url: "https://a.com/x",
      published: "2017-04-11T00:00:00.000Z",
      byline: "A, B",
    });
    expect(recs[1]!.input.published).toBeUndefined();
  });

  it("reads FNC-1 bodies CSV and generic CSV columns", async () => {
    const f = join(dir, "train_bodies.csv");
    writeFileSync(
      f,
      'Body ID,articleBody\n0,"A small meteorite crashed, said ""officials"".\n\nSecond paragraph."\n7,Another body\n',
    );
    const recs = [];
    for await (const r of readDataset(f)) recs.push(r);
    expect(countRecords(f)).toBe(2); // a quoted body may span lines
    expect(recs.map((r) => r.sourceKey)).toEqual(["train_bodies.csv#0", "train_bodies.csv#7"]);
    expect(recs[0]!.input.text).toBe('A small meteorite crashed, said "officials".\n\nSecond paragraph.');
    const g = join(dir, "generic.csv");
    writeFileSync(g, "headline,content,link,date\nH,Some text,https://b.org/1,2020-05-01\n");
    const gen = [];
    for await (const r of readDataset(g)) gen.push(r);
    expect(gen[0]!.input).toMatchObject({
      title: "H",
      text: "Some text",
      url: "https://b.org/1",
      published: "2020-05-01T00:00:00.000Z",
    });
    expect(gen[0]!.sourceKey).toBe("generic.csv#1");
  });

  it("refuses a dataset without a text column, with one clear message", async () => {
    const f = join(dir, "bad.csv");
    writeFileSync(f, "a,b\n1,2\n");
    await expect(async () => {
      for await (const r of readDataset(f)) void r;
    }).rejects.toThrow(/no text column/);
    expect(toIsoDate("not a date")).toBeUndefined();
  });
});
