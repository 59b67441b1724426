// The visitor's messages on their way: kept with their client_id until the desk acks them,
// sent one at a time (in order), and sent again after a reconnect.
import { newClientId } from "./client-id";
import type { Connection } from "./connection";
import { RequestFailed } from "./connection";
import type { Conversation } from "./conversation";
import type { Problem } from "./protocol";

const RETRY_MS = 3000;

export class Outbox {
  private waiting: { clientId: string; body: string }[] = [];
  private busy = false;
  private inFlight = "";
  private attempt = 0;
  private timer = 0;

  constructor(
    private conversation: Conversation,
    private connection: Connection,
    private onSent: () => void,
    private onRefused: (problem: Problem) => void,
  ) {}

  send(body: string): void {
    const clientId = newClientId();
    this.conversation.addPending(body, clientId);
    this.waiting.push({ clientId, body });
    this.flush();
  }

  /** Sends a refused message again, with the same client_id. */
  retry(clientId: string): void {
    const entry = this.conversation.byClientId(clientId);
    if (!entry || entry.state !== "failed") return;
    this.conversation.setState(clientId, "pending");
    this.waiting.push({ clientId, body: entry.body });
    this.flush();
  }

  /** Sends whatever waits, oldest first; called on every (re)connected session. */
  flush(): void {
    clearTimeout(this.timer);
    const next = this.waiting[0];
    if (this.busy || !next || !this.connection.isConnected()) return;
    const attempt = ++this.attempt;
    this.busy = true;
    this.inFlight = next.clientId;
    // An answer to an attempt given up on (see `refuse`) still settles its message, but no
    // longer drives the queue.
    const settle = (): boolean => {
      if (attempt !== this.attempt) return false;
      this.busy = false;
      return true;
    };
    this.connection.request("message", { body: next.body, client_id: next.clientId }).then(
      (ack) => {
        this.remove(next.clientId);
        this.conversation.confirm(next.clientId, ack.id, ack.created_at);
        this.onSent();
        if (settle()) this.flush();
      },
      (error: RequestFailed) => {
        // Refused: `refuse` moves the queue on. No answer: keep it; the next session flushes,
        // and so does this timer meanwhile.
        if (error.problem) this.refuse(next.clientId, error.problem);
        else if (settle()) this.timer = window.setTimeout(() => this.flush(), RETRY_MS);
      },
    );
  }

  /** The desk refused this message (an ack's error or a `problem` naming its client_id). */
  refuse(clientId: string, problem: Problem): void {
    if (!this.waiting.some((item) => item.clientId === clientId)) return;
    this.remove(clientId);
    this.conversation.setState(clientId, "failed");
    this.onRefused(problem);
    if (this.busy && this.inFlight === clientId) {
      this.attempt++;
      this.busy = false;
      this.flush();
    }
  }

  private remove(clientId: string): void {
    this.waiting = this.waiting.filter((item) => item.clientId !== clientId);
  }
}
