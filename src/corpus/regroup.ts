// Re-groups the claims of stories whose membership changed (marked dirty in the same transaction
// that added an article), and stores the groups, their sources and the disputes between them.
import type { Analysis } from "../schema/analysis.js";
import type { CorpusStore } from "../store/corpus.js";
import { groupClaims, type ClaimRecord, type StanceFn } from "./claims.js";

let stanceFn: Promise<StanceFn | null> | null = null;

/**
 * The claim–article stance model (src/analyzers/stance/claim-stance.ts) when it is present, else null.
 * Loaded by a computed path so the corpus builds and runs without it.
 */
export function loadClaimStance(): Promise<StanceFn | null> {
  stanceFn ??= (async () => {
    const rel = ["..", "analyzers", "stance", "claim-stance.js"].join("/");
    try {
      const mod = (await import(rel)) as { claimStance?: (...args: unknown[]) => unknown };
      if (typeof mod.claimStance !== "function") return null;
      const f = mod.claimStance;
      return (claim: string, article: { title: string; body: string }) => {
        const r = f(claim, article) as unknown;
        if (typeof r === "string") return r;
        if (r && typeof r === "object" && "label" in r) return String((r as { label: unknown }).label);
        return null;
      };
    } catch {
      return null;
    }
  })();
  return stanceFn;
}

/** Regroups one story's claims. */
export async function regroupStory(
  store: CorpusStore,
  storyId: number,
  stance: StanceFn | null,
): Promise<void> {
  const rows = await store.storyClaims(storyId);
  const claims: ClaimRecord[] = rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    published: r.published,
    speaker: r.speaker_canonical ?? r.speaker,
    speakerType: r.speaker_type,
    text: r.text,
  }));
  let articles: { id: number; title: string; body: string }[] | undefined;
  if (stance) {
    const texts = await store.storyArticleTexts(storyId);
    if (texts.length > 1 && texts.length <= 30) {
      articles = texts.map((t) => {
        const doc = (JSON.parse(t.analysis) as Analysis).document;
        const body = doc.headline ? doc.text.slice(doc.headline.end).trim() : doc.text;
        return { id: t.id, title: t.title, body };
      });
    }
  }
  const { groups, disputes } = groupClaims(claims, { stance: stance ?? undefined, articles });
  await store.replaceGroups(
    storyId,
    groups.map((g) => ({
      text: g.text,
      speakers: g.speakers,
      first: g.first,
      sources: g.sources,
      memberClaimIds: g.members.map((m) => m.claim.id),
    })),
    disputes,
  );
}

/** Regroups every dirty story; returns how many. */
export async function regroupStories(store: CorpusStore): Promise<number> {
  const stance = await loadClaimStance();
  const ids = await store.dirtyStories();
  for (const id of ids) await regroupStory(store, id, stance);
  return ids.length;
}
