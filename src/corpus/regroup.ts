// Re-groups the claims of stories whose membership changed (marked dirty in the same transaction
// that added an article), and stores the groups, their sources and the disputes between them.
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
        const label =
          typeof r === "string" ? r : r && typeof r === "object" && "label" in r ? String(r.label) : null;
        // The model says supports / disputes / reports-only (FNC-style agree / disagree also accepted).
        if (label === "supports" || label === "agree") return "agree";
        if (label === "disputes" || label === "disagree") return "disagree";
        return label;
      };
    } catch {
      return null;
    }
  })();
  return stanceFn;
}

/** Groups one story's claims (no writing). */
async function groupStory(store: CorpusStore, storyId: number, stance: StanceFn | null) {
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
    // The model was trained on headlines (Emergent): each article is read through its headline.
    if (texts.length > 1) articles = texts.map((t) => ({ id: t.id, title: t.title, body: "" }));
  }
  const { groups, disputes } = groupClaims(claims, { stance: stance ?? undefined, articles });
  return {
    storyId,
    groups: groups.map((g) => ({ text: g.text, speakers: g.speakers, first: g.first, sources: g.sources })),
    disputes,
  };
}

/** Regroups one story's claims. */
export async function regroupStory(
  store: CorpusStore,
  storyId: number,
  stance: StanceFn | null,
): Promise<void> {
  await store.replaceGroups([await groupStory(store, storyId, stance)]);
}

/**
 * Regroups every dirty story with at least `minArticles` articles (written in batches); returns how many.
 * Single-article stories are grouped lazily when first shown (storyDetail), which keeps bulk ingest fast.
 */
export async function regroupStories(store: CorpusStore, minArticles = 1): Promise<number> {
  const stance = await loadClaimStance();
  const ids = await store.dirtyStories(minArticles);
  for (let i = 0; i < ids.length; i += 64) {
    const batch = [];
    for (const id of ids.slice(i, i + 64)) batch.push(await groupStory(store, id, stance));
    await store.replaceGroups(batch);
  }
  return ids.length;
}
