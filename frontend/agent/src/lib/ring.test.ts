import { describe, expect, it } from "vitest";
import { badgedTitle, CHIME, ring } from "./ring";

describe("the chat ring", () => {
  it("badges the tab's title with what waits, and takes the badge off again", () => {
    expect(badgedTitle("Supportdesk", 2)).toBe("(2) Supportdesk");
    expect(badgedTitle("(2) Supportdesk", 3)).toBe("(3) Supportdesk");
    expect(badgedTitle("(3) Supportdesk", 0)).toBe("Supportdesk");
    expect(badgedTitle("Supportdesk", 120)).toBe("(99+) Supportdesk");
    expect(badgedTitle("(99+) Supportdesk", 1)).toBe("(1) Supportdesk");
  });

  it("is a short chime, and says so when the browser cannot play it", () => {
    const end = Math.max(...CHIME.map((note) => note.at + note.length));
    expect(end).toBeLessThan(0.5);
    expect(ring()).toBe(false); // happy-dom has no WebAudio
  });
});
