// Training the attribution tagger on PolNeAR train, with dev scores per epoch on stderr.
import { clusterFingerprint, type ClusterSource } from "../../../learn/word-clusters.js";
import { Doc } from "../../../doc/doc.js";
import { SequenceTagger, type TaggedSequence } from "../../../learn/tagger.js";
import { CRF_SCALE, crfAsTagger, LinearChainCrf } from "../../../learn/crf.js";
import {
  buildCueLexicon,
  docFeatures,
  lemmaish,
  LEMMA_TEMPLATES,
  TEMPLATE_SETS,
  tokenViews,
  usesClusters,
  clusterGranularities,
  type CueLexicon,
  type TemplateSet,
} from "./features.js";
import {
  AttributionTagger,
  B_TAG,
  TAGS,
  tagUnits,
  type AttributionModelJSON,
  type TagUnit,
} from "./model.js";
import type { GoldRelation, PolnearDoc } from "./polnear.js";

/** Gold tag per token from the relations (a token takes the label of its first labelled character). */
export function goldTags(doc: Doc, relations: readonly GoldRelation[]): Uint8Array {
  const len = doc.text.length;
  const label = new Uint8Array(len); // 0 none, else B_TAG index of the type
  const frag = new Int32Array(len).fill(-1); // fragment id, to start a new span at each fragment
  let id = 0;
  const mark = (type: keyof typeof B_TAG, spans: { start: number; end: number }[] | null) => {
    for (const s of spans ?? []) {
      const a = Math.max(0, s.start);
      const b = Math.min(len, s.end);
      for (let c = a; c < b; c++) {
        label[c] = B_TAG[type];
        frag[c] = id;
      }
      id++;
    }
  };
  for (const r of relations) {
    mark("source", r.source);
    mark("cue", r.cue);
    mark("content", r.content);
  }
  const n = doc.tokens.count;
  const tags = new Uint8Array(n);
  let prevFrag = -1;
  for (let i = 0; i < n; i++) {
    let c = doc.tokens.start[i]!;
    const e = doc.tokens.end[i]!;
    while (c < e && label[c] === 0) c++;
    if (c >= e) {
      prevFrag = -1;
      continue;
    }
    const f = frag[c]!;
    tags[i] = label[c]! + (f === prevFrag ? 1 : 0);
    prevFrag = f;
  }
  return tags;
}

/** Counts norms (or their lemmaish forms) inside cue spans and overall, for the cue lexicon. */
export function cueLexiconFrom(
  docs: readonly { doc: Doc; tags: Uint8Array }[],
  key: (norm: string) => string = (w) => w,
): CueLexicon {
  const cue = new Map<string, number>();
  const all = new Map<string, number>();
  for (const { doc, tags } of docs) {
    const norm = doc.tokens.norm;
    for (let i = 0; i < doc.tokens.count; i++) {
      const w = key(norm[i]!);
      all.set(w, (all.get(w) ?? 0) + 1);
      if (tags[i] === B_TAG.cue || tags[i] === B_TAG.cue + 1) cue.set(w, (cue.get(w) ?? 0) + 1);
    }
  }
  return buildCueLexicon(cue, all);
}

export interface PreparedDoc {
  id: string;
  doc: Doc;
  /** Gold tags from each annotation, in .ann name order. */
  tags: Uint8Array[];
}

/** Builds the Doc exactly as at runtime (first line = headline) and gold tags for each annotation. */
export function prepareDocs(docs: readonly PolnearDoc[]): PreparedDoc[] {
  return docs.map((d) => {
    const doc = polnearDoc(d);
    return { id: d.id, doc, tags: d.annotations.map((a) => goldTags(doc, a.relations)) };
  });
}

/** A Doc for a PolNeAR text: the first line is the headline; offsets are those of the (trimmed) text. */
export function polnearDoc(d: { id: string; text: string }): Doc {
  const nl = d.text.indexOf("\n");
  const title = nl > 0 ? d.text.slice(0, nl).trim() : "";
  return Doc.create({ text: d.text, title: title && d.text.startsWith(title) ? title : undefined, id: d.id });
}

export interface TrainOptions {
  unit?: TagUnit;
  bits?: number;
  epochs?: number;
  seed?: number;
  /** Train on every annotator's .ann ("all") or the first only ("first"). */
  annotators?: "all" | "first";
  /** Feature templates: all 45 or a lean subset. */
  features?: TemplateSet;
  /**
   * Number of taggers trained with seeds seed, seed+1, … (different shuffles) whose weights are averaged
   * into one model (same size and speed at runtime). Default 1.
   */
  ensemble?: number;
  onEpoch?: (epoch: number, tagger: AttributionTagger) => void;
  /**
   * "crf": a linear-chain CRF (AdaGrad on the log-likelihood, averaged weights) saved as the perceptron's
   * table × CRF_SCALE, so the stage decodes it unchanged; "perceptron" (default): the averaged perceptron.
   */
  learner?: "perceptron" | "crf";
  /** CRF learning rate (default 0.05) and per-example L2 (default 1e-3); its epochs are `epochs`. */
  crfRate?: number;
  crfL2?: number;
  /**
   * CRF only: log-potential units added at every token to the source, cue and content tags (B and I alike):
   * recall knobs, chosen by 2-fold CV on train (see the card). Default none.
   */
  tagBias?: { source: number; cue: number; content: number };
  /** Word clusters (required by the cluster templates). */
  clusters?: ClusterSource | null;
}

export function trainAttributionTagger(
  train: readonly PreparedDoc[],
  opts: TrainOptions = {},
): AttributionTagger {
  const unit = opts.unit ?? "paragraph";
  const bits = opts.bits ?? 16;
  const epochs = opts.epochs ?? 8;
  const seed = opts.seed ?? 17;
  const templates = [...TEMPLATE_SETS[opts.features ?? "lean"]];
  const firstTags = train.map((d) => ({ doc: d.doc, tags: d.tags[0]! }));
  const cueLexicon = cueLexiconFrom(firstTags);
  const lemmaLexicon = templates.some((t) => LEMMA_TEMPLATES.includes(t))
    ? cueLexiconFrom(firstTags, lemmaish)
    : undefined;
  const clusters = usesClusters(templates) ? (opts.clusters ?? null) : null;

  if (usesClusters(templates) && !clusters)
    throw new Error(`feature set ${opts.features} needs word clusters`);
  const data: TaggedSequence[] = [];
  for (const d of train) {
    const f = docFeatures(d.doc, cueLexicon, bits, templates, lemmaLexicon, undefined, clusters);
    const views = tokenViews(f.flat, templates.length, 0, d.doc.tokens.count);
    const tagSets = opts.annotators === "first" ? d.tags.slice(0, 1) : d.tags;
    for (const tags of tagSets) {
      for (const [a, b] of tagUnits(d.doc, unit)) {
        data.push({ features: views.slice(a, b), tags: tags.subarray(a, b) });
      }
    }
  }
  const wrap = (t: SequenceTagger): AttributionTagger =>
    new AttributionTagger(
      {
        kind: "attribution-tagger",
        version: 1,
        unit,
        bits,
        cueLexicon,
        ...(lemmaLexicon ? { lemmaLexicon } : {}),
        templates,
        ...(clusters
          ? {
              clusters: {
                granularities: clusterGranularities(clusters),
                fingerprint: clusterFingerprint(clusters),
              },
            }
          : {}),
        tagger: t.toJSON(),
      } satisfies AttributionModelJSON,
      clusters,
    );
  const ensemble = opts.ensemble ?? 1;
  const members: SequenceTagger[] = [];
  const learner = opts.learner ?? "perceptron";
  const tb = opts.tagBias;
  // In TAGS order: O, B/I-SRC, B/I-CUE, B/I-CON.
  const bias = tb ? [0, tb.source, tb.source, tb.cue, tb.cue, tb.content, tb.content] : undefined;
  const asTagger = (crf: LinearChainCrf) => crfAsTagger(crf, CRF_SCALE, bias);
  for (let k = 0; k < ensemble; k++) {
    const onEpoch = opts.onEpoch;
    const report = (e: number, t: SequenceTagger) => onEpoch?.(e + k * epochs, wrap(t));
    members.push(
      learner === "crf"
        ? asTagger(
            LinearChainCrf.train(TAGS, 1 << bits, data, {
              epochs,
              learningRate: opts.crfRate ?? 0.05,
              l2: opts.crfL2 ?? 1e-3,
              seed: seed + k,
              average: true,
              onEpoch: onEpoch ? (e, c) => report(e, asTagger(c)) : undefined,
            }),
          )
        : SequenceTagger.train(TAGS, 1 << bits, data, {
            epochs,
            seed: seed + k,
            onEpoch: onEpoch ? report : undefined,
          }),
    );
  }
  const tagger = members.length === 1 ? members[0]! : averageTaggers(members);
  const model = wrap(tagger);
  model.model.info = {
    unit,
    bits,
    epochs,
    seed,
    annotators: opts.annotators ?? "all",
    ...(ensemble > 1 ? { ensemble } : {}),
    ...(learner === "crf"
      ? { learner, crfRate: opts.crfRate ?? 0.05, crfL2: opts.crfL2 ?? 1e-3, tagBias: tb, scale: CRF_SCALE }
      : {}),
    trainDocs: train.length,
  };
  return model;
}

/** The mean of several taggers' weights and transitions (same tags and dim). */
export function averageTaggers(taggers: readonly SequenceTagger[]): SequenceTagger {
  const first = taggers[0]!;
  const W = new Float32Array(first.weights.length);
  const Tr = new Float32Array(first.transitions.length);
  const k = taggers.length;
  for (let p = 0; p < W.length; p++) {
    let s = 0;
    for (const t of taggers) s += t.weights[p]!;
    W[p] = s / k;
  }
  for (let p = 0; p < Tr.length; p++) {
    let s = 0;
    for (const t of taggers) s += t.transitions[p]!;
    Tr[p] = s / k;
  }
  return new SequenceTagger(first.tags, first.dim, W, Tr);
}
