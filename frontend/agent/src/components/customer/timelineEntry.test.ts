import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "@/api/types";
import { entryKind, entrySnippet, snippetOf } from "./timelineEntry";
import { translator } from "./testing";

const { t, te: has } = translator("en");

function entry(fields: Partial<TimelineEntry>): TimelineEntry {
  return { id: 1, kind: "message", channel: "email", ticket_id: 1, occurred_at: "2026-12-01T10:00:00Z", ...fields } as TimelineEntry;
}

describe("snippetOf", () => {
  it("folds whitespace and drops quoted history", () => {
    expect(snippetOf("Hello,\n\n  my order   is late.\n> On Monday you wrote:\n> old text")).toBe("Hello, my order is late.");
  });

  it("cuts long text with an ellipsis", () => {
    expect(snippetOf("x".repeat(300), 10)).toBe("xxxxxxxxx…");
  });
});

describe("a timeline row", () => {
  it("says who wrote a message", () => {
    expect(entryKind(entry({ direction: "inbound" }), t, has)).toBe("From the customer");
    expect(entryKind(entry({ direction: "internal" }), t, has)).toBe("Internal note");
  });

  it("gives a call its length and its notes", () => {
    const call = entry({ kind: "call", channel: "phone", direction: "inbound", duration_seconds: 247, notes: "Wants a refund" });
    expect(entryKind(call, t, has)).toBe("Incoming call, 4:07");
    expect(entrySnippet(call, t, has)).toBe("Wants a refund");
    expect(entrySnippet(entry({ kind: "call", notes: null }), t, has)).toBe("No call notes.");
  });

  it("says a status change in the agent's words, and any unknown event generically", () => {
    const change = entry({ kind: "ticket_event", channel: "system", event: "status_changed", data: { from: "open", to: "solved" } });
    expect(entryKind(change, t, has)).toBe("Status changed");
    expect(entrySnippet(change, t, has)).toBe("Open → Solved");
    expect(entryKind(entry({ kind: "ticket_event", event: "something_new" }), t, has)).toBe("Ticket changed");
  });
});
