// Re-groups the claims of stories whose membership changed (marked dirty in the same transaction
// that added an article), and stores the groups, their sources and the disputes between them.
import type { CorpusStore } from "../store/corpus.js";
import { claimStance } from "../analyzers/stance/claim-stance.js";
import { groupClaims, type ClaimRecord, type StanceFn } from "./claims.js";

let stanceFn: StanceFn | null = null;

/**
 * The claim–article stance model (src/analyzers/stance/claim-stance.ts) as the corpus uses it: FNC-style labels
 * (agree / disagree, else the model's own label; null for an article not about the claim). The model itself loads
 * on the first call.
 */
export function loadClaimStance(): Promise<StanceFn | null> {
  stanceFn ??= (claim, article) => {
    const { label, parts } = claimStance(claim, article);
    // Articles of one story share a topic, not every claim: the headline model was trained on headlines about the
    // claim (Emergent has no unrelated pairs), so a body the FNC-1 model finds unrelated takes no side.
    if (parts.body && parts.body.related < 0.5) return null;
    return label === "supports" ? "agree" : label === "disputes" ? "disagree" : label;
  };
  return Promise.resolve(stanceFn);
}

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
    // Headline and the body's lead: the model reads the headline (Emergent) and the body (FNC-1), and counts the
    // body less the less it is about the claim.
    if (texts.length > 1) articles = texts.map((t) => ({ id: t.id, title: t.title, body: bodyOf(t) }));
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

/** The body: the stored text's head without its first paragraph when that paragraph is the title. */
function bodyOf(t: { title: string; head: string | null }): string {
  const head = t.head ?? "";
  const cut = head.indexOf("\n\n");
  return cut >= 0 && head.slice(0, cut).trim() === t.title.trim() ? head.slice(cut + 2) : head;
}
