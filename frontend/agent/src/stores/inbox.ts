// The inbox: which tickets the agent is looking at (a view, filters, a search), the rows loaded so
// far (keyset pages, newest first), the views' counts, and what changed live since they looked.
//
// The list's rules that need no server are plain functions below (`toQuery`, `matches`,
// `mergeTicket`), so they are tested without a browser (inbox.test.ts).
import { defineStore } from "pinia";
import { computed, reactive, ref, shallowRef } from "vue";
import { answer, api, ApiError } from "@/api/client";
import type { BulkChanges, Channel, InboxCounts, InboxTicket, Message, Priority, SavedView, Status, Ticket, TicketViewKey, User } from "@/api/types";
import { useRealtime } from "@/stores/realtime";
import { useSession } from "@/stores/session";

export type TicketQuery = NonNullable<import("@/api/schema").operations["listTickets"]["parameters"]["query"]>;

/** What the list shows: a view narrowed by filters and a search (each one optional). */
export interface InboxFilters {
  view?: TicketViewKey;
  status?: Status;
  statuses?: Status[];
  priority?: Priority;
  channel?: Channel;
  assignee_id?: number;
  unassigned?: boolean;
  tag?: string;
  q?: string;
}

export const PAGE_SIZE = 50;
export const DEFAULT_FILTERS: InboxFilters = { view: "open" };
/** Counts are re-read after live changes, at most this often: a busy desk sends many. */
const COUNTS_EVERY_MS = 2000;

// The statuses each view holds, as the desk's VIEW_RULES say (supportdesk/tickets/service/inbox.py).
const ACTIVE: Status[] = ["new", "open", "pending", "on_hold"];
const VIEW_STATUSES: Record<TicketViewKey, Status[]> = {
  mine: ACTIVE,
  unassigned: ["new", "open"],
  open: ["new", "open"],
  pending: ["pending", "on_hold"],
  solved: ["solved"],
  all: ["new", "open", "pending", "on_hold", "solved"],
};

/** The filters as `GET /tickets` takes them: only what is set, the search trimmed. */
export function toQuery(filters: InboxFilters, limit = PAGE_SIZE, cursor?: string | null): TicketQuery {
  const query: TicketQuery = { limit };
  for (const [key, value] of Object.entries(filters) as [keyof InboxFilters, unknown][]) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const text = typeof value === "string" ? value.trim() : value;
    if (text === "") continue;
    (query as Record<string, unknown>)[key] = text;
  }
  if (cursor) query.cursor = cursor;
  return query;
}

/** The filters without the empty ones, for saving as a view and comparing. */
export function cleanFilters(filters: InboxFilters): InboxFilters {
  const { limit: _limit, ...rest } = toQuery(filters);
  return rest as InboxFilters;
}

/** Whether two sets of filters list the same tickets (blanks ignored, in any key order). */
export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  const key = (filters: InboxFilters) => JSON.stringify(Object.entries(cleanFilters(filters)).sort(([x], [y]) => x.localeCompare(y)));
  return key(a) === key(b);
}

/** Whether the desk would list the ticket under these filters (for tickets that arrive live).
 * A search is matched on what a row holds (ref, subject, customer's name): a ticket found only
 * by an e-mail address or a message's words shows when the list is next read. */
export function matches(ticket: Ticket, filters: InboxFilters, callerId: number | null): boolean {
  if (filters.view) {
    if (!VIEW_STATUSES[filters.view].includes(ticket.status)) return false;
    if (filters.view === "mine" && (callerId === null || ticket.assignee_id !== callerId)) return false;
    if (filters.view === "unassigned" && ticket.assignee_id !== null) return false;
  }
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.statuses?.length && !filters.statuses.includes(ticket.status)) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.channel && ticket.channel !== filters.channel) return false;
  if (filters.assignee_id !== undefined && ticket.assignee_id !== filters.assignee_id) return false;
  if (filters.unassigned !== undefined && (ticket.assignee_id === null) !== filters.unassigned) return false;
  if (filters.tag && !ticket.tags.includes(filters.tag.trim().toLowerCase())) return false;
  const q = filters.q?.trim().toLowerCase();
  if (q) {
    const haystack = [ticket.ref, ticket.subject, ticket.customer?.name ?? ""].map((text) => text.toLowerCase());
    if (!haystack.some((text) => text.includes(q))) return false;
  }
  return true;
}

/**
 * The rows after a ticket changed or arrived: replaced where it was (its last message kept, a
 * push carries none), dropped if it no longer belongs, inserted in id order if it now does and
 * falls within what is loaded (past the last loaded row, the next page brings it).
 */
export function mergeTicket(
  rows: readonly InboxTicket[],
  ticket: Ticket,
  belongs: boolean,
  complete: boolean,
): InboxTicket[] | null {
  const index = rows.findIndex((row) => row.id === ticket.id);
  if (index >= 0) {
    if (!belongs) return rows.filter((_, i) => i !== index);
    const next = rows.slice();
    next[index] = { ...rows[index], ...ticket, last_message: rows[index].last_message };
    return next;
  }
  if (!belongs) return null;
  const last = rows[rows.length - 1];
  if (!complete && last && ticket.id < last.id) return null;
  const row: InboxTicket = { last_message: null, ...ticket };
  const at = rows.findIndex((other) => other.id < ticket.id);
  const next = rows.slice();
  next.splice(at < 0 ? rows.length : at, 0, row);
  return next;
}

/** A row's last message after a message arrived (notes are not shown in rows). */
export function withMessage(row: InboxTicket, message: Message): InboxTicket {
  if (message.internal) return row;
  const snippet = message.body.split("\n").filter((line) => !line.trimStart().startsWith(">")).join(" ").replace(/\s+/g, " ").trim();
  return {
    ...row,
    last_message: { id: message.id, direction: message.direction as "inbound" | "outbound", snippet, created_at: message.created_at },
  };
}

export type LoadState = "idle" | "loading" | "ready" | "error";

export const useInbox = defineStore("inbox", () => {
  const session = useSession();
  const filters = ref<InboxFilters>({ ...DEFAULT_FILTERS });
  // Thousands of rows: the array is replaced on change, never made deeply reactive.
  const tickets = shallowRef<InboxTicket[]>([]);
  const nextCursor = ref<string | null>(null);
  const state = ref<LoadState>("idle");
  const loadingMore = ref(false);
  const error = ref<unknown>(null);
  const counts = ref<InboxCounts | null>(null);
  const savedViews = ref<SavedView[]>([]);
  const agents = ref<User[]>([]);
  /** Tickets created or written to live since the agent last opened them. */
  const unread = reactive(new Set<number>());
  const selected = reactive(new Set<number>());
  /** Why the last bulk change refused a ticket, by ticket (the rows say so). */
  const refusals = reactive(new Map<number, string>());
  // Each read of the list gets a number: an answer for filters the agent has since left is dropped.
  let generation = 0;

  const complete = computed(() => state.value === "ready" && nextCursor.value === null);
  const callerId = computed(() => session.user?.id ?? null);

  async function load(next: InboxFilters = filters.value): Promise<void> {
    filters.value = { ...next };
    const mine = ++generation;
    state.value = "loading";
    error.value = null;
    selected.clear();
    refusals.clear();
    try {
      const page = await answer(api.GET("/api/v1/tickets", { params: { query: toQuery(filters.value) } }));
      if (mine !== generation) return;
      tickets.value = page.items as InboxTicket[];
      nextCursor.value = page.next_cursor;
      state.value = "ready";
    } catch (failure) {
      if (mine !== generation) return;
      error.value = failure;
      state.value = "error";
    }
  }

  /** The next page, once; does nothing while one is coming or when all are loaded. */
  async function loadMore(): Promise<void> {
    if (loadingMore.value || !nextCursor.value || state.value !== "ready") return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const query = toQuery(filters.value, PAGE_SIZE, nextCursor.value);
      const page = await answer(api.GET("/api/v1/tickets", { params: { query } }));
      if (mine !== generation) return;
      const seen = new Set(tickets.value.map((row) => row.id));
      // a ticket that arrived live may also be on the page: keep one row for it
      tickets.value = tickets.value.concat((page.items as InboxTicket[]).filter((row) => !seen.has(row.id)));
      nextCursor.value = page.next_cursor;
    } catch (failure) {
      if (mine === generation) error.value = failure;
      throw failure;
    } finally {
      loadingMore.value = false;
    }
  }

  async function loadCounts(): Promise<void> {
    counts.value = await answer(api.GET("/api/v1/tickets/views"));
  }

  let countsTimer: ReturnType<typeof setTimeout> | null = null;
  function refreshCountsSoon(): void {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = null;
      void loadCounts().catch(() => {});
    }, COUNTS_EVERY_MS);
  }

  function apply(ticket: Ticket, arrived: boolean): void {
    const merged = mergeTicket(tickets.value, ticket, matches(ticket, filters.value, callerId.value), complete.value);
    if (merged) tickets.value = merged;
    if (arrived) unread.add(ticket.id);
    refreshCountsSoon();
  }

  function applyMessage(message: Message): void {
    const index = tickets.value.findIndex((row) => row.id === message.ticket_id);
    if (index >= 0) {
      const next = tickets.value.slice();
      next[index] = withMessage(next[index], message);
      tickets.value = next;
    }
    // the agent's own words are not news to them, nor are notes
    if (!message.internal && message.author.user_id !== callerId.value) unread.add(message.ticket_id);
  }

  let listening = false;
  /** Hear the desk's pushes for as long as the workspace is open (idempotent). */
  function listen(): void {
    if (listening) return;
    listening = true;
    const realtime = useRealtime();
    realtime.on("ticket.created", (ticket: Ticket) => apply(ticket, true));
    realtime.on("ticket.updated", (ticket: Ticket) => apply(ticket, false));
    realtime.on("message.created", (message: Message) => applyMessage(message));
    // after a gap in the feed, what was missed is read again
    realtime.on("reconnect", () => {
      if (state.value !== "idle") void load();
      refreshCountsSoon();
    });
  }

  function markRead(ticketId: number): void {
    unread.delete(ticketId);
  }

  function toggleSelected(ticketId: number, on = !selected.has(ticketId)): void {
    if (on) selected.add(ticketId);
    else selected.delete(ticketId);
  }

  /** Applies one change to the selected tickets: all of them or, refused, none (the 422 names
   * each ticket at fault; see `bulkFailures`). */
  async function bulkUpdate(changes: BulkChanges): Promise<void> {
    const ticketIds = tickets.value.filter((row) => selected.has(row.id)).map((row) => row.id);
    refusals.clear();
    try {
      const { items } = await answer(api.POST("/api/v1/tickets/bulk", { body: { ticket_ids: ticketIds, changes } }));
      for (const ticket of items as Ticket[]) apply(ticket, false);
      selected.clear();
    } catch (failure) {
      if (failure instanceof ApiError) {
        const errors = failure.problem.errors as Record<string, string[] | undefined> | undefined;
        for (const [ticketId, reason] of bulkFailures(errors, ticketIds)) refusals.set(ticketId, reason);
      }
      throw failure;
    }
  }

  /** The agents a ticket may be assigned to (the filter and the bulk "assign"). */
  async function loadAgents(): Promise<void> {
    const page = await answer(api.GET("/api/v1/users", { params: { query: { limit: 200 } } }));
    agents.value = (page.items as User[]).filter((user) => user.active);
  }

  async function loadSavedViews(): Promise<void> {
    savedViews.value = (await answer(api.GET("/api/v1/saved-views"))).items as SavedView[];
  }

  async function saveView(name: string): Promise<SavedView> {
    const body = { name, filters: cleanFilters(filters.value) };
    const view = (await answer(api.POST("/api/v1/saved-views", { body }))) as SavedView;
    savedViews.value = [...savedViews.value, view];
    return view;
  }

  async function deleteView(id: number): Promise<void> {
    await answer(api.DELETE("/api/v1/saved-views/{saved_view_id}", { params: { path: { saved_view_id: id } } }));
    savedViews.value = savedViews.value.filter((view) => view.id !== id);
  }

  return {
    filters, tickets, nextCursor, state, loadingMore, error, counts, savedViews, agents, unread, selected, refusals, complete,
    load, loadMore, loadCounts, listen, markRead, toggleSelected, bulkUpdate, loadAgents, loadSavedViews, saveView, deleteView,
  };
});

/** The tickets a bulk refusal names, with why: `{ticket_ids.3: [...]}` → `[[id, reason]]`. */
export function bulkFailures(problemErrors: Record<string, string[] | undefined> | undefined, ticketIds: number[]): [number, string][] {
  const failures: [number, string][] = [];
  for (const [field, reasons] of Object.entries(problemErrors ?? {})) {
    const match = /^ticket_ids\.(\d+)$/.exec(field);
    if (match && ticketIds[Number(match[1])] !== undefined) failures.push([ticketIds[Number(match[1])], reasons?.[0] ?? ""]);
  }
  return failures;
}
