// The ticket an agent has open: its properties, the conversation (messages and calls, oldest
// first: its newest page on open, older pages as the agent scrolls up), the delivery state of its outbound e-mails, and who else is on it. Live: new
// messages and changes arrive over the `/agent` socket, and the agent `watch`es the ticket while
// the page is open so colleagues see them (collision detection).
import { defineStore } from "pinia";
import { computed, ref, shallowRef, watch } from "vue";
import { answer, api, ApiError } from "@/api/client";
import type { Channel, Delivery, EmailDetails, Message, Ticket, TimelineEntry, User } from "@/api/types";
import { useRealtime } from "@/stores/realtime";
import { useSession } from "@/stores/session";

export interface Viewer {
  id: number;
  name: string;
  typing: boolean;
}

/** One row of the conversation: a message, or a call logged on the ticket. */
export type ConversationItem =
  | { kind: "message"; key: string; at: string; message: Message }
  | { kind: "call"; key: string; at: string; call: TimelineEntry };

export type SendResult = { sent: Message } | { stale: Message[] };

export interface Outgoing {
  body: string;
  internal: boolean;
  channel?: Channel;
  attachmentIds?: number[];
  /** the newest message the agent had seen when they began writing (omit: send anyway) */
  seenMessageId?: number | null;
}

const PAGE = 200;
/** Messages per page of the conversation: the newest page on open, then each older one. */
export const MESSAGE_PAGE = 50;
const DELIVERY_POLL_MS = 4000;

/** `incoming` added to `messages` once each (a live message may also come in a page), in order. */
export function mergeMessages(messages: readonly Message[], incoming: readonly Message[]): Message[] {
  const known = new Set(messages.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id));
  if (!fresh.length) return messages as Message[];
  return [...messages, ...fresh].sort(byTime);
}

function byTime(a: { created_at: string; id: number }, b: { created_at: string; id: number }): number {
  return a.created_at === b.created_at ? a.id - b.id : a.created_at < b.created_at ? -1 : 1;
}

/** Messages and calls in one line, oldest first. While older pages are still to load
 * (`complete` false), a call before the oldest loaded message waits for its page. */
export function conversationItems(messages: readonly Message[], calls: readonly TimelineEntry[], complete = true): ConversationItem[] {
  const items: ConversationItem[] = messages.map((message) => ({ kind: "message", key: `m${message.id}`, at: message.created_at, message }));
  if (!calls.length) return items;
  const from = complete ? "" : (messages[0]?.created_at ?? "");
  for (const call of calls) if (call.occurred_at >= from) items.push({ kind: "call", key: `c${call.call_id}`, at: call.occurred_at, call });
  return items.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
}

/** Where to answer by default: the channel the customer last wrote on (a web form is answered
 * by e-mail), else the ticket's own. */
export function defaultReplyChannel(messages: readonly Message[], ticketChannel: Channel): Channel {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message.direction === "inbound" && message.channel !== "system") return answerable(message.channel as Channel);
  }
  return answerable(ticketChannel);
}

function answerable(channel: Channel): Channel {
  return channel === "web" || channel === "phone" ? "email" : channel;
}

/** The channels a reply may go out on: e-mail always, chat where the customer chatted. */
export function replyChannels(messages: readonly Message[], ticketChannel: Channel): Channel[] {
  const chatted = ticketChannel === "chat" || messages.some((m) => m.channel === "chat");
  return chatted ? ["email", "chat"] : ["email"];
}

/** The newest message's id: what "seen" means for the stale-reply guard. */
export function newestMessageId(messages: readonly Message[]): number | null {
  let newest: number | null = null;
  for (const message of messages) if (newest === null || message.id > newest) newest = message.id;
  return newest;
}

/** The other agents on the ticket (the agent's own tabs are not "someone else"). */
export function otherViewers(viewers: readonly Viewer[], selfId: number | undefined): Viewer[] {
  return viewers.filter((viewer) => viewer.id !== selfId);
}

export const useTicket = defineStore("ticket", () => {
  const realtime = useRealtime();
  const session = useSession();

  const ticketId = ref<number | null>(null);
  const ticket = ref<Ticket | null>(null);
  const state = ref<"idle" | "loading" | "ready" | "error">("idle");
  const error = ref<unknown>(null);
  // Big arrays, replaced whole on change: shallow refs keep Vue from proxying every message.
  const messages = shallowRef<Message[]>([]);
  const calls = shallowRef<TimelineEntry[]>([]);
  const deliveries = shallowRef<Map<number, Delivery>>(new Map());
  const viewers = ref<Viewer[]>([]);
  const visitorTyping = ref(false);
  const agents = shallowRef<User[]>([]);
  /** the cursor of the next older page of messages; null: the beginning is loaded */
  const olderCursor = ref<string | null>(null);
  const loadingOlder = ref(false);

  const items = computed(() => conversationItems(messages.value, calls.value, olderCursor.value === null));
  const others = computed(() => otherViewers(viewers.value, session.user?.id));
  const newestId = computed(() => newestMessageId(messages.value));

  let unsubscribe: (() => void)[] = [];
  let stopWatching: (() => void) | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let visitorTimer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;

  async function open(id: number): Promise<void> {
    close();
    const mine = ++generation;
    ticketId.value = id;
    state.value = "loading";
    try {
      const [loaded, page] = await Promise.all([answer(api.GET("/api/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id } } })), loadMessages(id)]);
      if (mine !== generation) return;
      ticket.value = loaded as Ticket;
      messages.value = page.messages;
      olderCursor.value = page.older;
      state.value = "ready";
    } catch (failure) {
      if (mine !== generation) return;
      error.value = failure;
      state.value = "error";
      return;
    }
    listen(id);
    // What does not block the conversation from showing: calls, deliveries, the agents.
    void loadCalls(mine);
    void loadDeliveries(mine);
    void loadAgents();
  }

  function close(): void {
    generation += 1;
    for (const off of unsubscribe) off();
    unsubscribe = [];
    stopWatching?.();
    stopWatching = null;
    if (ticketId.value !== null && realtime.connection === "connected") realtime.emit("unwatch", {});
    if (pollTimer) clearTimeout(pollTimer);
    if (visitorTimer) clearTimeout(visitorTimer);
    ticketId.value = null;
    ticket.value = null;
    messages.value = [];
    olderCursor.value = null;
    loadingOlder.value = false;
    calls.value = [];
    deliveries.value = new Map();
    viewers.value = [];
    visitorTyping.value = false;
    state.value = "idle";
    error.value = null;
  }

  /** A page of messages, newest first from `cursor` (none: the newest), put oldest first. */
  async function loadMessages(id: number, cursor?: string): Promise<{ messages: Message[]; older: string | null }> {
    const query = { order: "newest" as const, limit: MESSAGE_PAGE, cursor };
    const data = await answer(api.GET("/api/v1/tickets/{ticket_id}/messages", { params: { path: { ticket_id: id }, query } }));
    return { messages: (data.items as Message[]).reverse(), older: data.next_cursor ?? null };
  }

  /** Prepends the next older page, if there is one; answers how many messages it added. */
  async function loadOlder(): Promise<number> {
    const id = ticketId.value;
    const cursor = olderCursor.value;
    if (id === null || cursor === null || loadingOlder.value) return 0;
    const mine = generation;
    loadingOlder.value = true;
    try {
      const page = await loadMessages(id, cursor);
      if (mine !== generation || olderCursor.value !== cursor) return 0;
      const before = messages.value.length;
      messages.value = mergeMessages(messages.value, page.messages);
      olderCursor.value = page.older;
      return messages.value.length - before;
    } catch {
      return 0; // the next scroll to the top tries again
    } finally {
      if (mine === generation) loadingOlder.value = false;
    }
  }

  // Calls are not messages: they are the customer's timeline entries of kind "call" on this ticket.
  async function loadCalls(mine: number): Promise<void> {
    const current = ticket.value;
    if (!current) return;
    try {
      const data = await answer(api.GET("/api/v1/customers/{customer_id}/timeline", { params: { path: { customer_id: current.customer_id }, query: { kind: "call", limit: PAGE } } }));
      if (mine === generation) calls.value = (data.items as TimelineEntry[]).filter((entry) => entry.ticket_id === current.id);
    } catch {
      // The conversation stands without them; the customer panel shows calls too.
    }
  }

  async function loadDeliveries(mine: number): Promise<void> {
    const id = ticketId.value;
    if (id === null) return;
    if (pollTimer) clearTimeout(pollTimer);
    try {
      const data = await answer(api.GET("/api/v1/tickets/{ticket_id}/deliveries", { params: { path: { ticket_id: id }, query: { limit: PAGE } } }));
      if (mine !== generation) return;
      deliveries.value = new Map((data.items as Delivery[]).map((d) => [d.message_id, d]));
      // A queued e-mail is on its way: look again shortly, until none is.
      if ([...deliveries.value.values()].some((d) => d.status === "queued")) pollTimer = setTimeout(() => void loadDeliveries(mine), DELIVERY_POLL_MS);
    } catch {
      // Delivery states are a detail of the conversation: without them it still reads.
    }
  }

  async function loadAgents(): Promise<void> {
    if (agents.value.length) return;
    try {
      const data = await answer(api.GET("/api/v1/users", { params: { query: { limit: PAGE } } }));
      agents.value = (data.items as User[]).filter((user) => user.active !== false);
    } catch {
      agents.value = [];
    }
  }

  function listen(id: number): void {
    unsubscribe = [
      realtime.on("message.created", (message: Message) => {
        if (message.ticket_id !== id) return;
        messages.value = mergeMessages(messages.value, [message]);
        if (message.channel === "email" && message.direction === "outbound") void loadDeliveries(generation);
        if (message.direction === "inbound") setVisitorTyping(false);
      }),
      realtime.on("ticket.updated", (changed: Ticket) => {
        if (changed.id === id) ticket.value = changed;
      }),
      realtime.on("ticket.viewers", (payload: { ticket_id: number; viewers: Viewer[] }) => {
        if (payload.ticket_id === id) viewers.value = payload.viewers;
      }),
      realtime.on("visitor.typing", (payload: { ticket_id: number; typing: boolean }) => {
        if (payload.ticket_id === id) setVisitorTyping(payload.typing);
      }),
      // Back after a gap: what was said meanwhile, and the ticket as it is now.
      realtime.on("reconnect", () => void refresh()),
    ];
    // Watch the ticket whenever the socket is (re)connected, so colleagues see the agent here.
    stopWatching = watch(
      () => realtime.connection,
      (connection) => {
        if (connection !== "connected") return;
        realtime
          .request<{ viewers?: Viewer[] }>("watch", { ticket_id: id })
          .then((ack) => {
            if (ticketId.value === id && ack?.viewers) viewers.value = ack.viewers;
          })
          .catch(() => undefined);
      },
      { immediate: true },
    );
  }

  function setVisitorTyping(typing: boolean): void {
    visitorTyping.value = typing;
    if (visitorTimer) clearTimeout(visitorTimer);
    // A visitor who closed the tab mid-word never says "stopped": forget it after a while.
    if (typing) visitorTimer = setTimeout(() => (visitorTyping.value = false), 15_000);
  }

  async function refresh(): Promise<void> {
    const id = ticketId.value;
    if (id === null) return;
    const mine = generation;
    try {
      // The newest page again, from scratch: what a merge or a move took away goes too.
      const [loaded, page] = await Promise.all([answer(api.GET("/api/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id } } })), loadMessages(id)]);
      if (mine !== generation) return;
      ticket.value = loaded as Ticket;
      messages.value = page.messages;
      olderCursor.value = page.older;
    } catch {
      // The next event or reload tries again.
    }
  }

  async function update(changes: { status?: string; priority?: string; assignee_id?: number | null; tags?: string[]; subject?: string }): Promise<void> {
    const id = ticketId.value;
    if (id === null) return;
    ticket.value = (await answer(api.PATCH("/api/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id } }, body: changes as never }))) as Ticket;
  }

  async function send(outgoing: Outgoing): Promise<SendResult> {
    const id = ticketId.value;
    if (id === null) throw new Error("no ticket open");
    const body: Record<string, unknown> = { body: outgoing.body, internal: outgoing.internal };
    if (!outgoing.internal && outgoing.channel) body.channel = outgoing.channel;
    if (outgoing.attachmentIds?.length) body.attachment_ids = outgoing.attachmentIds;
    if (outgoing.seenMessageId) body.seen_message_id = outgoing.seenMessageId;
    try {
      const sent = (await answer(api.POST("/api/v1/tickets/{ticket_id}/messages", { params: { path: { ticket_id: id } }, body: body as never }))) as Message;
      messages.value = mergeMessages(messages.value, [sent]);
      if (sent.channel === "email" && !sent.internal) void loadDeliveries(generation);
      return { sent };
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409 && Array.isArray(failure.problem.newer_messages)) {
        const newer = failure.problem.newer_messages as Message[];
        messages.value = mergeMessages(messages.value, newer);
        return { stale: newer };
      }
      throw failure;
    }
  }

  // The e-mail side of a message (threading, the full text with its quoted history), fetched
  // when the agent asks for it: most messages are read without.
  const emailCache = new Map<number, Promise<EmailDetails>>();
  function emailDetails(messageId: number): Promise<EmailDetails> {
    let details = emailCache.get(messageId);
    if (!details) {
      details = answer(api.GET("/api/v1/messages/{message_id}/email", { params: { path: { message_id: messageId }, query: {} } })) as Promise<EmailDetails>;
      details.catch(() => emailCache.delete(messageId));
      emailCache.set(messageId, details);
    }
    return details;
  }

  async function retryDelivery(messageId: number): Promise<void> {
    const delivery = (await answer(api.POST("/api/v1/messages/{message_id}/email/retry", { params: { path: { message_id: messageId } } }))) as Delivery;
    deliveries.value = new Map(deliveries.value).set(messageId, delivery);
    void loadDeliveries(generation);
  }

  /** Moves a mis-threaded message to another ticket: it leaves this conversation. */
  async function moveMessage(messageId: number, targetId: number): Promise<void> {
    await answer(api.POST("/api/v1/messages/{message_id}/move", { params: { path: { message_id: messageId } }, body: { ticket_id: targetId } }));
    messages.value = messages.value.filter((m) => m.id !== messageId);
  }

  /** Splits a message into a new ticket; answers the new ticket. */
  async function splitMessage(messageId: number): Promise<Ticket> {
    const created = (await answer(api.POST("/api/v1/messages/{message_id}/split", { params: { path: { message_id: messageId } }, body: {} }))) as Ticket;
    messages.value = messages.value.filter((m) => m.id !== messageId);
    return created;
  }

  /** Merges this ticket into another of the customer's; answers the ticket that stays. */
  async function merge(intoId: number): Promise<Ticket> {
    const id = ticketId.value;
    if (id === null) throw new Error("no ticket open");
    const into = (await answer(api.POST("/api/v1/tickets/{ticket_id}/merge", { params: { path: { ticket_id: id } }, body: { into_id: intoId } }))) as Ticket;
    await refresh();
    return into;
  }

  /** Tells colleagues (and, for a reply on a chat, the visitor) that the agent is writing. */
  function setTyping(typing: boolean, internal: boolean): void {
    if (ticketId.value !== null) realtime.emit("typing", { ticket_id: ticketId.value, typing, internal });
  }

  return {
    ticketId, ticket, state, error, messages, calls, deliveries, viewers, others, visitorTyping, agents, items, newestId, olderCursor, loadingOlder,
    open, close, refresh, update, send, emailDetails, retryDelivery, moveMessage, splitMessage, merge, setTyping, loadOlder,
  };
});
