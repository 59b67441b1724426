// The desk's live feed: one Socket.IO connection to `/agent` per tab, opened once the agent is
// signed in (the session cookie authenticates it). Pages subscribe with `on(event, handler)`,
// which returns the unsubscribe to call on unmount. Opening the workspace makes the agent
// online, so a chat rings as soon as they sign in; the header's switch sets away.
import { defineStore } from "pinia";
import { io, type Socket } from "socket.io-client";
import { ref } from "vue";
import { useSession } from "@/stores/session";

export type Presence = "online" | "away";
export type Connection = "idle" | "connecting" | "connected" | "disconnected";
type Handler = (payload: any) => void;

/** how long a socket the desk closed or refused waits to connect again, its session standing */
const RESUME_MS = 5_000;

export const useRealtime = defineStore("realtime", () => {
  const connection = ref<Connection>("idle");
  const status = ref<Presence>("online");
  let socket: Socket | null = null;
  const handlers = new Map<string, Set<Handler>>();

  function connect(): void {
    if (socket) return;
    connection.value = "connecting";
    socket = io("/agent", { transports: ["websocket", "polling"], withCredentials: true });
    socket.on("connect", () => {
      connection.value = "connected";
      if (status.value !== "online") socket?.emit("presence", { status: status.value });
      if (resumed) tell("reconnect", null);
      resumed = false;
    });
    socket.on("disconnect", (reason) => {
      connection.value = "disconnected";
      if (reason === "io server disconnect") resumeIfDropped();
    });
    socket.on("connect_error", () => {
      connection.value = "disconnected";
      resumeIfDropped();
    });
    socket.onAny((event: string, payload: unknown) => tell(event, payload));
    socket.io.on("reconnect", () => tell("reconnect", null));
  }

  function tell(event: string, payload: unknown): void {
    for (const handler of handlers.get(event) ?? []) handler(payload);
  }

  // Socket.IO comes back by itself from a lost connection, not from a socket the desk closed
  // or refused: the desk does that when the sign-in session that opened it ended (signed out
  // elsewhere, a new password, deactivated). Ask the desk: an ended session sends the agent to
  // sign in (drafts kept) at once, not at their next click; one that stands connects again.
  let resumed = false;
  function resumeIfDropped(): void {
    const dropped = socket;
    if (!dropped || dropped.active) return;
    void useSession()
      .confirm()
      .catch(() => true) // the desk did not answer: the socket's own retries find out
      .then((stands) => {
        if (!stands) return;
        setTimeout(() => {
          if (socket !== dropped || dropped.active) return;
          resumed = true;
          dropped.connect();
        }, RESUME_MS);
      });
  }

  function disconnect(): void {
    socket?.disconnect();
    socket = null;
    connection.value = "idle";
  }

  /** Hear a server event ("ticket.created", "message.created", ...; "reconnect" after a gap). */
  function on(event: string, handler: Handler): () => void {
    const set = handlers.get(event) ?? new Set<Handler>();
    set.add(handler);
    handlers.set(event, set);
    return () => set.delete(handler);
  }

  /** Send an event; resolves with the server's ack (a problem object when it refused). */
  function request<T = unknown>(event: string, payload: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      if (!socket) return reject(new Error("not connected"));
      socket.timeout(10_000).emit(event, payload, (error: unknown, ack: T) => (error ? reject(error) : resolve(ack)));
    });
  }

  function emit(event: string, payload: unknown): void {
    socket?.emit(event, payload);
  }

  async function setStatus(next: Presence): Promise<void> {
    status.value = next;
    if (connection.value === "connected") await request("presence", { status: next });
  }

  return { connection, status, connect, disconnect, on, request, emit, setStatus };
});
