// The Socket.IO connection to the desk's /widget namespace: auth with the stored visitor token,
// acks as promises, and the `history` catch-up after a reconnect.
import { io } from "socket.io-client";
import type { AckEvent, Acks, Auth, ChatMessage, MessageId, Problem, Session } from "./protocol";

const TOKEN_KEY = "supportdesk.visitor_token";
const ACK_TIMEOUT_MS = 15000;

/** A refused or unanswered request: `problem` is the desk's refusal, or null when no answer came. */
export class RequestFailed extends Error {
  constructor(readonly problem: Problem | null) {
    super(problem?.detail || problem?.title || "no answer");
  }
}

export interface ConnectionHandlers {
  session(session: Session): void;
  /** Messages missed while disconnected (the `history` ack after a reconnect). */
  missed(messages: ChatMessage[]): void;
  message(message: ChatMessage): void;
  typing(typing: boolean, name: string | undefined): void;
  agents(online: boolean): void;
  problem(problem: Problem): void;
  connected(connected: boolean): void;
}

export interface Connection {
  isConnected(): boolean;
  request<E extends AckEvent>(event: E, payload: object): Promise<Acks[E]>;
  typing(typing: boolean): void;
  /** The visitor token the desk knows this visitor by: it also downloads their files. */
  token(): string | undefined;
}

function storedToken(): string | undefined {
  try {
    return localStorage.getItem(TOKEN_KEY) || undefined;
  } catch {
    return undefined; // storage blocked (third-party iframe): the visit still works, unremembered
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // as above
  }
}

export function connect(
  auth: Omit<Auth, "visitor_token">,
  lastId: () => MessageId | undefined,
  on: ConnectionHandlers,
): Connection {
  let token = storedToken();
  let hadSession = false;
  let reconnected = false;
  let retriedWithoutToken = false;

  const socket = io("/widget", {
    transports: ["websocket", "polling"],
    // A function, so that every reconnect presents the newest token.
    auth: (callback) => callback(token ? { ...auth, visitor_token: token } : { ...auth }),
  });

  socket.on("connect", () => {
    reconnected = hadSession;
    on.connected(true);
  });
  socket.on("disconnect", () => on.connected(false));
  socket.on("connect_error", () => {
    on.connected(false);
    // Refused by the server (not a network failure): perhaps a token it no longer knows.
    if (!socket.active && token && !retriedWithoutToken) {
      retriedWithoutToken = true;
      token = undefined;
      storeToken(null);
      socket.connect();
    }
  });

  socket.on("session", (session: Session) => {
    const afterId = reconnected ? lastId() : undefined;
    reconnected = false;
    hadSession = true;
    if (session.visitor_token) {
      token = session.visitor_token;
      storeToken(token);
    }
    on.session(session);
    if (afterId !== undefined) {
      connection
        .request("history", { after_id: afterId })
        .then((ack) => on.missed(ack.messages || []), () => {});
    }
  });
  socket.on("message", (message: ChatMessage) => on.message(message));
  socket.on("typing", (state: { typing?: boolean; name?: string }) =>
    on.typing(!!state.typing, state.name || undefined),
  );
  socket.on("agents", (state: { online?: boolean }) => on.agents(!!state.online));
  socket.on("problem", (problem: Problem) => on.problem(problem));

  const connection: Connection = {
    isConnected: () => socket.connected,
    request(event, payload) {
      return new Promise((resolve, reject) => {
        // Not buffered while offline: the caller decides (the outbox waits, forms say so).
        if (!socket.connected) return reject(new RequestFailed(null));
        socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: unknown, ack: any) => {
          if (err) reject(new RequestFailed(null));
          else if (ack && ack.error) {
            // verify.check may put attempts_left beside the problem rather than inside it.
            // The ack's problem does not name its event (the `problem` event does): add it.
            reject(new RequestFailed({ event, attempts_left: ack.attempts_left, ...ack.error } as Problem));
          }
          else resolve(ack);
        });
      });
    },
    typing(typing) {
      if (socket.connected) socket.volatile.emit("typing", { typing });
    },
    token: () => token,
  };
  return connection;
}
