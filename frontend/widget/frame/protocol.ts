// The shapes on the wire of the Socket.IO namespace /widget (docs/chat.md).

export type MessageId = number | string;

export interface Author {
  kind: "agent" | "customer" | "system";
  name?: string | null;
}

/** A file with a message; `url` downloads it with `Authorization: Bearer <visitor_token>`. */
export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

export interface ChatMessage {
  id: MessageId;
  body: string;
  author: Author;
  created_at: string;
  client_id?: string | null;
  attachments?: Attachment[];
}

export interface Session {
  visitor_token: string;
  customer_id: number | string | null;
  ticket_id: number | string | null;
  messages: ChatMessage[];
  agents_online: boolean;
  verified: boolean;
  email: string | null;
  max_message_length: number;
}

/** An RFC 9457 problem, as the `problem` event or inside an ack's `error`. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  event?: string;
  client_id?: string;
  retry_after?: number;
  attempts_left?: number;
  errors?: Record<string, string[] | string> | unknown;
}

export interface Identity {
  external_id?: string;
  email?: string;
  name?: string;
  hash?: string;
}

export interface Auth {
  visitor_token?: string;
  identity?: Identity;
  locale?: string;
}

/** What each client-to-server event acknowledges with, besides `{error}`. */
export interface Acks {
  message: { id: MessageId; created_at: string };
  history: { messages: ChatMessage[] };
  identify: { ok: boolean };
  "verify.start": { sent: boolean };
  "verify.check": { verified: boolean };
  offline_message: { ticket_id: number | string; ref: string };
  transcript: { sent: boolean };
}

export type AckEvent = keyof Acks;
