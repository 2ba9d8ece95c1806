import { describe, expect, it } from "vitest";
import type { CorpusStore } from "../store/corpus.js";
import type { StanceFn } from "./claims.js";
import { regroupStory } from "./regroup.js";

// A two-article story held by a stand-in store: the stance model must see each other article's body, not only its
// headline (the claim-stance model reads both).
function fakeStore(written: unknown[]): CorpusStore {
  const store = {
    storyClaims: async () => [
      {
        id: 1,
        article_id: 10,
        published: null,
        speaker: "Vladimir Putin",
        speaker_canonical: null,
        speaker_type: "PERSON",
        text: "the chemical attack in Syria was staged",
      },
    ],
    storyArticleTexts: async () => [
      {
        id: 10,
        title: "Putin says Syria chemical attack was staged",
        head: "Putin says Syria chemical attack was staged\n\nPutin said …",
      },
      {
        id: 11,
        title: "Syria chemical attack: what we know",
        head: "Syria chemical attack: what we know\n\nInvestigators found sarin at the site.",
      },
    ],
    replaceGroups: async (groups: unknown[]) => void written.push(...groups),
  };
  return store as unknown as CorpusStore;
}

describe("regroupStory", () => {
  it("hands the stance model each other article's headline and body", async () => {
    const seen: { title: string; body: string }[] = [];
    const stance: StanceFn = (_claim, article) => {
      seen.push(article);
      return "disagree";
    };
    const written: unknown[] = [];
    await regroupStory(fakeStore(written), 1, stance);
    expect(seen).toEqual([
      { title: "Syria chemical attack: what we know", body: "Investigators found sarin at the site." },
    ]);
    expect(JSON.stringify(written)).toContain('"relation":"disputes"');
  });
});
