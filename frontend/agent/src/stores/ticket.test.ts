import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Message, TimelineEntry } from "@/api/types";
import { conversationItems, defaultReplyChannel, MESSAGE_PAGE, mergeMessages, newestMessageId, otherViewers, replyChannels, useTicket } from "./ticket";

// The desk, as far as opening a ticket goes: its messages pages, newest first, by cursor.
const desk = vi.hoisted(() => ({ messages: [] as unknown[], queries: [] as Record<string, unknown>[] }));
vi.mock("@/api/client", () => ({
  ApiError: class extends Error {},
  answer: async (promise: Promise<unknown>) => promise,
  api: {
    GET: async (path: string, init: { params: { path: { ticket_id?: number }; query?: Record<string, unknown> } }) => {
      if (path === "/api/v1/tickets/{ticket_id}") return { id: init.params.path.ticket_id, channel: "email", customer_id: 1 };
      if (path !== "/api/v1/tickets/{ticket_id}/messages") return { items: [], next_cursor: null };
      const query = init.params.query ?? {};
      desk.queries.push(query);
      const newestFirst = [...desk.messages].reverse();
      const start = query.cursor ? Number(query.cursor) : 0;
      const end = start + Number(query.limit);
      return { items: newestFirst.slice(start, end), next_cursor: end < newestFirst.length ? String(end) : null };
    },
  },
}));
vi.mock("@/stores/realtime", () => ({ useRealtime: () => ({ connection: "disconnected", on: () => () => undefined, emit: () => undefined }) }));
vi.mock("@/stores/session", () => ({ useSession: () => ({ user: { id: 1 } }) }));

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

describe("opening a long conversation", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    const start = Date.parse("2026-12-01T00:00:00Z");
    desk.messages = Array.from({ length: 120 }, (_, index) => message(index + 1, new Date(start + index * 60_000).toISOString()));
    desk.queries = [];
  });

  it("reads only the newest page, shown oldest first, with the newest id as seen", async () => {
    const store = useTicket();
    await store.open(1);

    expect(desk.queries).toEqual([{ order: "newest", limit: MESSAGE_PAGE, cursor: undefined }]);
    expect(store.messages.map((m) => m.id)).toEqual(Array.from({ length: MESSAGE_PAGE }, (_, index) => 71 + index));
    expect(store.newestId).toBe(120);
    expect(store.olderCursor).not.toBeNull();
  });

  it("prepends the older pages one at a time, up to the beginning", async () => {
    const store = useTicket();
    await store.open(1);

    expect(await store.loadOlder()).toBe(MESSAGE_PAGE);
    expect(store.messages[0].id).toBe(21);
    expect(await store.loadOlder()).toBe(20);
    expect(store.messages.map((m) => m.id)).toEqual(desk.messages.map((m) => (m as Message).id));
    expect(store.olderCursor).toBeNull();
    expect(await store.loadOlder()).toBe(0);
    expect(desk.queries.map((query) => query.cursor)).toEqual([undefined, "50", "100"]);
  });

  it("leaves a call older than the loaded page out until its page is loaded", () => {
    const call = { kind: "call", call_id: 9, occurred_at: "2026-12-01T09:00:00Z" } as TimelineEntry;
    const page = [message(1, "2026-12-01T10:00:00Z")];
    expect(conversationItems(page, [call], false).map((item) => item.key)).toEqual(["m1"]);
    expect(conversationItems(page, [call], true).map((item) => item.key)).toEqual(["c9", "m1"]);
  });
});
