import { describe, expect, it } from "vitest";
import type { InboxTicket, Message, Ticket } from "@/api/types";
import { bulkFailures, cleanFilters, matches, mergeTicket, sameFilters, toQuery, withMessage } from "./inbox";

function ticket(id: number, changes: Partial<Ticket> = {}): InboxTicket {
  return {
    id,
    ref: `SD-${1000 + id}`,
    subject: `Subject ${id}`,
    status: "open",
    priority: "normal",
    channel: "email",
    customer_id: 1,
    customer: { id: 1, name: "Maria Gonzalez" },
    assignee_id: null,
    assignee: null,
    follow_up_of_id: null,
    tags: [],
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    first_response_due_at: null,
    resolution_due_at: null,
    last_message: null,
    ...changes,
  } as InboxTicket;
}

describe("toQuery", () => {
  it("sends only the filters that are set, the search trimmed", () => {
    expect(toQuery({ view: "open", q: "  router ", tag: "", channel: undefined, statuses: [] })).toEqual({ limit: 50, view: "open", q: "router" });
  });
  it("adds the cursor of the next page", () => {
    expect(toQuery({ view: "mine" }, 50, "abc")).toEqual({ limit: 50, view: "mine", cursor: "abc" });
  });
  it("keeps false and zero-free booleans", () => {
    expect(toQuery({ unassigned: false })).toEqual({ limit: 50, unassigned: false });
  });
  it("compares filters whatever their order and blanks", () => {
    expect(sameFilters({ view: "open", channel: "chat" }, { channel: "chat", view: "open", q: "" })).toBe(true);
    expect(sameFilters({ view: "open" }, { view: "open", channel: "chat" })).toBe(false);
  });
  it("cleans filters for saving: no limit, no blanks", () => {
    expect(cleanFilters({ view: "open", q: " " })).toEqual({ view: "open" });
  });
});

describe("matches", () => {
  it("follows the desk's views", () => {
    expect(matches(ticket(1, { status: "new" }), { view: "open" }, 7)).toBe(true);
    expect(matches(ticket(1, { status: "pending" }), { view: "open" }, 7)).toBe(false);
    expect(matches(ticket(1, { status: "on_hold" }), { view: "pending" }, 7)).toBe(true);
    expect(matches(ticket(1, { status: "closed" }), { view: "all" }, 7)).toBe(false);
    expect(matches(ticket(1, { assignee_id: 7 }), { view: "mine" }, 7)).toBe(true);
    expect(matches(ticket(1, { assignee_id: 8 }), { view: "mine" }, 7)).toBe(false);
    expect(matches(ticket(1, { assignee_id: 8 }), { view: "unassigned" }, 7)).toBe(false);
  });
  it("narrows by every filter", () => {
    const chat = ticket(1, { channel: "chat", priority: "urgent", tags: ["vip"] });
    expect(matches(chat, { channel: "chat", priority: "urgent", tag: "VIP" }, 7)).toBe(true);
    expect(matches(chat, { channel: "email" }, 7)).toBe(false);
    expect(matches(chat, { unassigned: false }, 7)).toBe(false);
    expect(matches(chat, { statuses: ["pending"] }, 7)).toBe(false);
  });
  it("searches the ref, the subject and the customer's name", () => {
    expect(matches(ticket(5), { q: "gonzalez" }, 7)).toBe(true);
    expect(matches(ticket(5), { q: "sd-1005" }, 7)).toBe(true);
    expect(matches(ticket(5), { q: "printer" }, 7)).toBe(false);
  });
});

describe("mergeTicket", () => {
  const rows = [ticket(30), ticket(20), ticket(10)];

  it("inserts a new ticket at the top, newest first", () => {
    expect(mergeTicket(rows, ticket(40), true, false)?.map((row) => row.id)).toEqual([40, 30, 20, 10]);
  });
  it("inserts in id order within what is loaded", () => {
    expect(mergeTicket(rows, ticket(25), true, false)?.map((row) => row.id)).toEqual([30, 25, 20, 10]);
  });
  it("leaves a ticket older than the loaded rows to the next page, unless all are loaded", () => {
    expect(mergeTicket(rows, ticket(5), true, false)).toBeNull();
    expect(mergeTicket(rows, ticket(5), true, true)?.map((row) => row.id)).toEqual([30, 20, 10, 5]);
  });
  it("updates a row in place and keeps its last message", () => {
    const last = { id: 9, direction: "inbound" as const, snippet: "Hello", created_at: "2026-12-01T10:00:00Z" };
    const merged = mergeTicket([ticket(30, { last_message: last } as Partial<Ticket>)], ticket(30, { priority: "high" }), true, false);
    expect(merged?.[0].priority).toBe("high");
    expect(merged?.[0].last_message).toEqual(last);
  });
  it("drops a row that no longer belongs, and ignores a stranger that does not", () => {
    expect(mergeTicket(rows, ticket(20), false, false)?.map((row) => row.id)).toEqual([30, 10]);
    expect(mergeTicket(rows, ticket(99), false, false)).toBeNull();
  });
});

describe("withMessage", () => {
  const message = (changes: Partial<Message>) =>
    ({ id: 3, ticket_id: 30, internal: false, direction: "inbound", body: "New\n> quoted\n  words ", created_at: "2026-12-01T11:00:00Z", ...changes }) as Message;

  it("shows the message as the row's last, on one line", () => {
    expect(withMessage(ticket(30), message({})).last_message?.snippet).toBe("New words");
  });
  it("leaves notes out of the row", () => {
    expect(withMessage(ticket(30), message({ internal: true, direction: "internal" })).last_message).toBeNull();
  });
});

describe("bulkFailures", () => {
  it("names the tickets a refusal points at", () => {
    expect(bulkFailures({ "ticket_ids.1": ["SD-1020: cannot"], changes: ["x"] }, [30, 20])).toEqual([[20, "SD-1020: cannot"]]);
  });
});
