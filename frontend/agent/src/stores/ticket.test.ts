import { describe, expect, it } from "vitest";
import type { Message, TimelineEntry } from "@/api/types";
import { conversationItems, defaultReplyChannel, mergeMessages, newestMessageId, otherViewers, replyChannels } from "./ticket";

function message(id: number, at: string, fields: Partial<Message> = {}): Message {
  return {
    id,
    ticket_id: 1,
    channel: "email",
    direction: "inbound",
    internal: false,
    author: { kind: "customer", name: "Maria", user_id: null, customer_id: 1 },
    body: `message ${id}`,
    body_html: "",
    attachments: [],
    created_at: at,
    ...fields,
  } as Message;
}

describe("the ticket's conversation", () => {
  it("adds a live message once, in time order, even when a page also had it", () => {
    const page = [message(1, "2026-12-01T10:00:00Z"), message(3, "2026-12-01T12:00:00Z")];
    const merged = mergeMessages(page, [message(3, "2026-12-01T12:00:00Z"), message(2, "2026-12-01T11:00:00Z")]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(mergeMessages(merged, [message(2, "2026-12-01T11:00:00Z")])).toBe(merged);
  });

  it("puts calls between the messages at their time", () => {
    const call = { kind: "call", call_id: 9, occurred_at: "2026-12-01T10:30:00Z" } as TimelineEntry;
    const items = conversationItems([message(1, "2026-12-01T10:00:00Z"), message(2, "2026-12-01T11:00:00Z")], [call]);
    expect(items.map((item) => item.key)).toEqual(["m1", "c9", "m2"]);
  });

  it("answers on the channel the customer last wrote on, a web form or a call by e-mail", () => {
    const chatLast = [message(1, "2026-12-01T10:00:00Z"), message(2, "2026-12-01T11:00:00Z", { channel: "chat" }), message(3, "2026-12-01T12:00:00Z", { direction: "outbound" })];
    expect(defaultReplyChannel(chatLast, "email")).toBe("chat");
    expect(defaultReplyChannel([message(1, "2026-12-01T10:00:00Z", { channel: "web" })], "web")).toBe("email");
    expect(defaultReplyChannel([], "phone")).toBe("email");
    expect(defaultReplyChannel([], "chat")).toBe("chat");
  });

  it("offers chat as a reply channel only where the customer chatted", () => {
    expect(replyChannels([message(1, "2026-12-01T10:00:00Z")], "email")).toEqual(["email"]);
    expect(replyChannels([message(1, "2026-12-01T10:00:00Z", { channel: "chat" })], "email")).toEqual(["email", "chat"]);
  });

  it("knows the newest message seen, by id (what the stale-reply guard sends)", () => {
    expect(newestMessageId([])).toBeNull();
    expect(newestMessageId([message(5, "2026-12-01T10:00:00Z"), message(7, "2026-12-01T09:00:00Z")])).toBe(7);
  });

  it("counts the agent's own tabs out of who else is viewing", () => {
    const viewers = [{ id: 1, name: "Ada", typing: false }, { id: 2, name: "Bo", typing: true }];
    expect(otherViewers(viewers, 1)).toEqual([{ id: 2, name: "Bo", typing: true }]);
  });
});
