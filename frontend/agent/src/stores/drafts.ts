// Reply drafts, per ticket, kept in localStorage: they survive a reload, a closed tab and a
// session that expired mid-sentence (sign in again and the words are still there).
import { defineStore } from "pinia";

const PREFIX = "supportdesk.draft.";

export interface Draft {
  body: string;
  internal: boolean;
  channel?: string;
}

export const useDrafts = defineStore("drafts", () => {
  function load(ticketId: number): Draft | null {
    try {
      const raw = localStorage.getItem(PREFIX + ticketId);
      return raw ? (JSON.parse(raw) as Draft) : null;
    } catch {
      return null;
    }
  }

  function save(ticketId: number, draft: Draft): void {
    if (draft.body.trim()) localStorage.setItem(PREFIX + ticketId, JSON.stringify(draft));
    else localStorage.removeItem(PREFIX + ticketId);
  }

  function discard(ticketId: number): void {
    localStorage.removeItem(PREFIX + ticketId);
  }

  return { load, save, discard };
});
