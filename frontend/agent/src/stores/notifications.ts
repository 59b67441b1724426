// The agent's notifications (mentions in notes, tickets assigned to them, new chats): the unread
// count (also in the tab's title), the newest ones for the header's list, live over the socket.
// A new chat rings when the agent's ring preference is on; anything new may also show as a
// browser notification when the tab is hidden and the agent allowed them.
import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import { answer, api } from "@/api/client";
import type { Notification } from "@/api/types";
import { badgedTitle, ring } from "@/lib/ring";
import { useRealtime } from "@/stores/realtime";
import { useSession } from "@/stores/session";

const PAGE = 30;

type Listener = (notification: Notification) => void;

/** `incoming` before `items`, once each, newest first, at most `limit`. */
export function prependNotification(items: readonly Notification[], incoming: Notification, limit = PAGE): Notification[] {
  return [incoming, ...items.filter((item) => item.id !== incoming.id)].slice(0, limit);
}

/** Whether the agent wants the chat ring: on unless they turned it off. */
export function ringsFor(user: unknown): boolean {
  return (user as { ring?: boolean } | null)?.ring !== false;
}

export const useNotifications = defineStore("notifications", () => {
  const realtime = useRealtime();
  const session = useSession();

  const items = ref<Notification[]>([]);
  const unread = ref(0);
  const state = ref<"idle" | "loading" | "ready" | "error">("idle");
  /** how many times the chat ring played (the header shows it to tests as data-rings) */
  const rings = ref(0);
  const ringOn = computed(() => ringsFor(session.user));
  const listeners = new Set<Listener>();
  let offs: (() => void)[] = [];

  async function load(): Promise<void> {
    state.value = state.value === "ready" ? "ready" : "loading";
    try {
      const page = await answer(api.GET("/api/v1/notifications", { params: { query: { limit: PAGE } } }));
      items.value = page.items as Notification[];
      unread.value = page.unread_count;
      state.value = "ready";
    } catch {
      state.value = "error";
    }
  }

  function start(): void {
    if (offs.length) return;
    offs = [
      realtime.on("notification.created", (notification: Notification) => receive(notification)),
      realtime.on("reconnect", () => void load()),
    ];
    void load();
  }

  function stop(): void {
    for (const off of offs) off();
    offs = [];
  }

  function receive(notification: Notification): void {
    const known = items.value.some((item) => item.id === notification.id);
    items.value = prependNotification(items.value, notification);
    if (!known && !notification.read_at) unread.value += 1;
    if (notification.kind === "new_chat" && ringOn.value && ring()) rings.value += 1;
    for (const listener of listeners) listener(notification);
  }

  /** Hear each new notification (the header shows it as a toast): returns the unsubscribe. */
  function onNew(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function markRead(ids: number[]): Promise<void> {
    const fresh = ids.filter((id) => items.value.some((item) => item.id === id && !item.read_at));
    if (!fresh.length) return;
    const now = new Date().toISOString();
    items.value = items.value.map((item) => (fresh.includes(item.id) ? { ...item, read_at: item.read_at ?? now } : item));
    const answered = await answer(api.POST("/api/v1/notifications/read", { body: { ids: fresh } }));
    unread.value = answered.unread_count;
  }

  async function markAllRead(): Promise<void> {
    const now = new Date().toISOString();
    items.value = items.value.map((item) => ({ ...item, read_at: item.read_at ?? now }));
    const answered = await answer(api.POST("/api/v1/notifications/read", { body: { all: true } }));
    unread.value = answered.unread_count;
  }

  async function setRing(on: boolean): Promise<void> {
    await session.savePreferences({ ring: on });
    if (on && ring()) rings.value += 1; // a sample, and the click lets the browser play sound later
  }

  // What waits for the agent, in the tab's title: seen from another tab or window.
  watch(unread, (count) => {
    if (typeof document !== "undefined") document.title = badgedTitle(document.title, count);
  });

  return { items, unread, state, rings, ringOn, load, start, stop, onNew, markRead, markAllRead, setRing };
});
