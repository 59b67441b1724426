// The conversation as the visitor sees it: the server's messages merged with the visitor's own
// still on their way, deduplicated by id and client_id, in order.
import type { Attachment, Author, ChatMessage, MessageId } from "./protocol";

export interface Entry {
  /** Stable for the entry's whole life (a pending message keeps its key once stored). */
  key: string;
  id?: MessageId;
  clientId?: string;
  body: string;
  author: Author;
  createdAt: string;
  attachments: Attachment[];
  /** sent: stored by the desk; pending: waiting in the outbox; failed: refused (see the problem). */
  state: "sent" | "pending" | "failed";
}

export class Conversation {
  entries: Entry[] = [];
  /** Called after every change with the entries that are new to the visitor. */
  onChange: (added: Entry[]) => void = () => {};

  /** Adds the messages not seen yet; confirms own pending ones that come back with their client_id. */
  merge(messages: ChatMessage[]): Entry[] {
    const added: Entry[] = [];
    for (const message of messages) {
      if (this.byId(message.id)) continue;
      const own = message.client_id ? this.byClientId(message.client_id) : undefined;
      if (own) {
        this.settle(own, message.id, message.created_at);
        continue;
      }
      const entry: Entry = {
        key: message.client_id ? "c:" + message.client_id : "m:" + message.id,
        id: message.id,
        clientId: message.client_id || undefined,
        body: message.body,
        author: message.author,
        createdAt: message.created_at,
        attachments: message.attachments || [],
        state: "sent",
      };
      this.entries.push(entry);
      added.push(entry);
    }
    this.changed(added);
    return added;
  }

  /** Starts over with another conversation (a new ticket), keeping what is still unsent. */
  reset(messages: ChatMessage[]): Entry[] {
    this.entries = this.entries.filter((entry) => entry.state !== "sent");
    return this.merge(messages);
  }

  addPending(body: string, clientId: string): Entry {
    const entry: Entry = {
      key: "c:" + clientId,
      clientId,
      body,
      author: { kind: "customer" },
      createdAt: new Date().toISOString(),
      attachments: [],
      state: "pending",
    };
    this.entries.push(entry);
    this.changed([entry]);
    return entry;
  }

  confirm(clientId: string, id: MessageId, createdAt: string): void {
    const entry = this.byClientId(clientId);
    if (entry) this.settle(entry, id, createdAt);
    this.changed([]);
  }

  setState(clientId: string, state: "pending" | "failed"): void {
    const entry = this.byClientId(clientId);
    if (entry && entry.state !== "sent") entry.state = state;
    this.changed([]);
  }

  byClientId(clientId: string): Entry | undefined {
    return this.entries.find((entry) => entry.clientId === clientId);
  }

  /** The newest stored message's id: `history {after_id}` after a reconnect. */
  lastId(): MessageId | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].state === "sent") return this.entries[i].id;
    }
    return undefined;
  }

  private byId(id: MessageId): Entry | undefined {
    return this.entries.find((entry) => entry.id !== undefined && String(entry.id) === String(id));
  }

  private settle(entry: Entry, id: MessageId, createdAt: string): void {
    // The desk's broadcast of this very message may have come first, without its client_id.
    const twin = this.byId(id);
    if (twin && twin !== entry) this.entries.splice(this.entries.indexOf(twin), 1);
    entry.id = id;
    entry.createdAt = createdAt || entry.createdAt;
    entry.state = "sent";
  }

  private changed(added: Entry[]): void {
    // In time order (the desk's clock for stored messages); the ones still on their way last,
    // as typed.
    const rank = (entry: Entry) => (entry.state === "pending" ? 1 : 0);
    this.entries.sort((a, b) => rank(a) - rank(b) || (rank(a) ? 0 : compareStored(a, b)));
    this.onChange(added);
  }
}

function compareStored(a: Entry, b: Entry): number {
  const byTime = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (byTime) return byTime;
  return typeof a.id === "number" && typeof b.id === "number" ? a.id - b.id : 0;
}
