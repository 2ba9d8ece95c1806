// What `analyze` attaches: a match above the threshold must also restate the fact-check. A long news sentence
// that shares a few rare names with a fact-check is not its claim, whatever the tweet-trained model scores.
import { describe, expect, it } from "vitest";
import type { StoredFactCheck } from "../../store/factchecks.js";
import { FactCheckMemory, loadReranker } from "./memory.js";

const row = (id: number, claimReviewed: string, title: string | null = null): StoredFactCheck => ({
  id,
  claimReviewed,
  rating: "False",
  publisher: "Snopes",
  url: `https://checker.example/${id}`,
  date: null,
  title,
  claimant: null,
  context: null,
});

describe("fact-check matches on news claims", () => {
  const memory = new FactCheckMemory(
    [
      row(
        1,
        "Astronaut Buzz Aldrin admitted the Apollo 11 moon landing was staged on a movie set.",
        "Did Buzz Aldrin Admit the Moon Landing Was Staged?",
      ),
      row(2, "A woman in Idaho was sentenced to seven years in prison for breastfeeding in public."),
      row(3, "The Colorado Rockies will be selling pot brownies at Coors Field concession stands."),
      row(4, "Governor Jane Marlow belongs to the steelworkers union."),
    ],
    loadReranker(),
  );

  it("are not attached when the claim only shares names with the fact-check", () => {
    const claim =
      "Buzz was on the same mission, Apollo 11, as Neil Armstrong and soon followed in his footsteps - making him the second man on the moon";
    // The match model alone takes it for a match …
    expect(memory.matcher.matches(claim, 3).map((m) => m.doc)).toEqual([0]);
    // … but it does not restate the fact-check, so analyze attaches nothing and search does not mark it.
    expect(memory.match(claim)).toEqual([]);
    expect(memory.search(claim, 1)[0]).toMatchObject({ aboveThreshold: true, restates: false, match: false });
  });

  it("are attached when the claim restates it", () => {
    const claim = "Buzz Aldrin admitted that the Apollo 11 moon landing was staged on a movie set";
    expect(memory.match(claim)).toEqual([
      expect.objectContaining({ rating: "False", url: "https://checker.example/1" }),
    ]);
    expect(memory.search(claim, 1)[0]).toMatchObject({ aboveThreshold: true, restates: true, match: true });
  });

  it("are not attached when a long sentence shares half the fact-check's words but says something else", () => {
    const claim =
      "The steelworkers rallied outside the capitol, and Jane Marlow, who spoke for ten minutes about pensions, trade and the mills that closed last winter, was booed by part of the crowd";
    expect(memory.matcher.matches(claim, 3).map((m) => m.doc)).toEqual([3]);
    expect(memory.match(claim)).toEqual([]);
  });

  it("are attached to a paraphrase, and to a long sentence that holds the whole fact-check", () => {
    expect(memory.match("Marlow joined the steelworkers union").map((m) => m.url)).toEqual([
      "https://checker.example/4",
    ]);
    const long =
      "Let me say this about the season ahead, the ballpark, the fans, the price of tickets and of parking, and the new owners who bought the club last spring from the family: the Colorado Rockies will be selling pot brownies at Coors Field concession stands, which tells you where this state, its lawmakers, its courts, its voters and its governor are heading";
    // 9 of its 31 content words are the fact-check's (under 0.3), but it holds all 9 of the fact-check's.
    expect(memory.match(long).map((m) => m.url)).toEqual(["https://checker.example/3"]);
  });

  it("say which words of the document they rest on, and how much the two share", () => {
    // The claim in two parts of a document, as attribution gives a quotation interrupted by its cue.
    const text = "Marlow, the report says, joined the steelworkers union in March.";
    const parts = [
      { start: 0, end: text.indexOf(",") },
      { start: text.indexOf("joined"), end: text.length - 1 },
    ];
    const claim = parts.map((p) => text.slice(p.start, p.end)).join(" … ");
    const [m] = memory.match(claim, 3, { text, parts });
    expect(m).toMatchObject({ url: "https://checker.example/4" });
    expect(m!.matched!.map((s) => text.slice(s.start, s.end))).toEqual(["Marlow", "steelworkers", "union"]);
    // Marlow, steelworkers, union: 3 of the fact-check's 6 words; joined and March are not in it: 3 of the claim's 5.
    expect(m!.overlap).toEqual({ factCheck: 0.5, claim: 0.6 });
  });

  it("never attaches a Flip-O-Meter topic, which reviews a change of position, not a claim", () => {
    const flips = new FactCheckMemory(
      [
        row(1, "On using the Strategic Petroleum Reserve."),
        row(2, "On taxes, President Barack Obama wants to raise the top rate to 44.8 percent."),
      ],
      loadReranker(),
    );
    const claim = "The president wants to stop using the Strategic Petroleum Reserve";
    expect(flips.matcher.matches(claim, 3).map((m) => m.doc)).toEqual([0]); // the model alone would attach it
    expect(flips.match(claim)).toEqual([]);
    expect(
      flips
        .match("On taxes, President Barack Obama wants to raise the top rate to 44.8 percent")
        .map((m) => m.url),
    ).toEqual(["https://checker.example/2"]);
  });
});
