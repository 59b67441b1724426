import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mentionMatches, mentionOptions, TYPING_EVERY_MS, TYPING_IDLE_MS, typingSignal } from "./composer";

describe("the composer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("mentions an agent by their name without its spaces (the desk's handle)", () => {
    const options = mentionOptions([{ name: "Ada Lovelace", email: "ada@desk.example" }, { name: "王芳", email: "wf@desk.example" }]);
    expect(options).toEqual([{ label: "Ada Lovelace", value: "AdaLovelace" }, { label: "王芳", value: "王芳" }]);
    expect(mentionMatches("love", options[0])).toBe(true);
    expect(mentionMatches("王", options[1])).toBe(true);
    expect(mentionMatches("bob", options[0])).toBe(false);
  });

  it("says typing at most every few seconds, and stopped after a pause", () => {
    const said: boolean[] = [];
    const typing = typingSignal((on) => said.push(on), { now: () => Date.now() });
    typing.input();
    typing.input();
    vi.advanceTimersByTime(TYPING_EVERY_MS - 100);
    typing.input();
    expect(said).toEqual([true]);
    vi.advanceTimersByTime(200);
    typing.input();
    expect(said).toEqual([true, true]);
    vi.advanceTimersByTime(TYPING_IDLE_MS);
    expect(said).toEqual([true, true, false]);
    typing.stop();
    expect(said).toEqual([true, true, false]);
  });
});
