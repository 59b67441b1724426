import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "@/api/types";
import { entryKind, entrySnippet, snippetOf } from "./timelineEntry";
import { translator } from "./testing";

const { t, te: has } = translator("en");
const zh = translator("zh-CN");

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

describe("what a customer did in self-service", () => {
  const article = { id: 7, slug: "refund-policy", title: "Refund policy", locale: "en" };
  const activity = (fields: Record<string, unknown>) =>
    entry({ kind: "kb_activity", channel: "web", ticket_id: null, surface: "widget", query: null, result_count: null, helpful: null, article: null, ...fields } as Partial<TimelineEntry>);

  it("says what they searched for, and that nothing was found", () => {
    const search = activity({ action: "searched", query: "refund", result_count: 0, surface: "help_center" });
    expect(entryKind(search, t, has)).toBe("In the help center");
    expect(entrySnippet(search, t, has)).toBe("Searched “refund” (no results)");
    expect(entrySnippet(activity({ action: "searched", query: "refund", result_count: 3 }), t, has)).toBe("Searched “refund” (3 results)");
    expect(entrySnippet(activity({ action: "searched", query: "refund", result_count: 1 }), t, has)).toBe("Searched “refund” (1 result)");
  });

  it("says which article they read and how they rated it, where", () => {
    const read = activity({ action: "viewed", article });
    expect(entryKind(read, t, has)).toBe("In the chat widget");
    expect(entrySnippet(read, t, has)).toBe("Read “Refund policy”");
    expect(entrySnippet(activity({ action: "rated", helpful: false, article }), t, has)).toBe("Rated “Refund policy” not helpful");
    expect(entrySnippet(activity({ action: "rated", helpful: false, article, comment: " No word on store credit " }), t, has)).toBe(
      "Rated “Refund policy” not helpful: “No word on store credit”",
    );
    expect(entrySnippet(activity({ action: "rated", helpful: true, article, surface: "portal" }), t, has)).toBe("Rated “Refund policy” helpful");
    expect(entrySnippet(activity({ action: "viewed", article: null }), t, has)).toBe("Read “a deleted article”");
  });

  it("says it in Chinese, and a surface it does not know generically", () => {
    const search = activity({ action: "searched", query: "退款", result_count: 0 });
    expect(entryKind(search, zh.t, zh.te)).toBe("在线客服窗口");
    expect(entrySnippet(search, zh.t, zh.te)).toBe("搜索了“退款”（无结果）");
    expect(entrySnippet(activity({ action: "rated", helpful: false, article: { ...article, title: "退款政策" } }), zh.t, zh.te)).toBe("评价“退款政策”没有帮助");
    expect(entryKind(activity({ surface: "kiosk" }), t, has)).toBe("Help center");
  });
});
