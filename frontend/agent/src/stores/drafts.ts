// Reply drafts, per agent and ticket, kept in localStorage: they survive a reload, a closed
// tab and a session that expired mid-sentence (sign in again and the words are still there).
// Keyed by the agent too, so a colleague signing in on the same browser never sees them.
import { defineStore } from "pinia";

import { useSession } from "./session";

const PREFIX = "supportdesk.draft.";

export interface Draft {
  body: string;
  internal: boolean;
  channel?: string;
}

export const useDrafts = defineStore("drafts", () => {
  const session = useSession();

  function key(ticketId: number): string | null {
    const userId = session.user?.id;
    return userId === undefined ? null : `${PREFIX}${userId}.${ticketId}`;
  }

  function load(ticketId: number): Draft | null {
    const name = key(ticketId);
    if (!name) return null;
    try {
      const raw = localStorage.getItem(name);
      return raw ? (JSON.parse(raw) as Draft) : null;
    } catch {
      return null;
    }
  }

  function save(ticketId: number, draft: Draft): void {
    const name = key(ticketId);
    if (!name) return;
    if (draft.body.trim()) localStorage.setItem(name, JSON.stringify(draft));
    else localStorage.removeItem(name);
  }

  function discard(ticketId: number): void {
    const name = key(ticketId);
    if (name) localStorage.removeItem(name);
  }

  return { load, save, discard };
});
