// A ticket's statuses, priorities and channels as the pickers offer them, each labelled with its
// word in the agent's language (common.ts: `status.open`, `priority.urgent`, `channel.email`).
// One list of each; a picker that offers fewer or another order takes it from here, so that a
// new status or channel reaches every picker at once.
import type { Channel, Priority, Status, TimelineEntry } from "@/api/types";

/** In the order a ticket goes through them (supportdesk/tickets/status.py). */
export const STATUSES: readonly Status[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
/** What a ticket can be moved to: no move leads back to `new`. */
export const STATUS_MOVES: readonly Status[] = STATUSES.filter((status) => status !== "new");
/** Low first: a scale, as the ticket's own picker shows it. */
export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];
/** Most pressing first: where an agent looks for (or sets) what matters now, in the inbox. */
export const PRIORITIES_URGENT_FIRST: readonly Priority[] = [...PRIORITIES].reverse();
/** What tickets come in on. */
export const CHANNELS: readonly Channel[] = ["email", "chat", "phone", "web"];
/** What a customer's timeline holds: the tickets' channels and the desk's own events. */
export const TIMELINE_CHANNELS: readonly TimelineEntry["channel"][] = [...CHANNELS, "system"];

interface Words {
  status: Status;
  priority: Priority;
  channel: TimelineEntry["channel"];
}

// A type, not an interface: naive-ui's option types take only what has an implicit index signature.
export type TicketOption<T extends string> = { value: T; label: string };

/** `values` as picker options (NSelect; NDropdown with `key-field="value"`), labelled by `t`. */
export function ticketOptions<A extends keyof Words, T extends Words[A]>(
  area: A,
  values: readonly T[],
  t: (key: string) => string,
): TicketOption<T>[] {
  return values.map((value) => ({ value, label: t(`${area}.${value}`) }));
}
