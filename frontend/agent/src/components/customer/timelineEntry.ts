// What a timeline row says: its kind ("From the customer", "Incoming call, 4:07", "Status
// changed", "In the help center") and a one-line snippet, from an entry of any kind.
import type { TimelineEntry } from "@/api/types";
import { formatDuration } from "@/lib/format";

type Translate = (key: string, named?: Record<string, unknown>) => string;
type Has = (key: string) => boolean;

/** Whitespace (and quoted e-mail history, "> ...") folded away: the first words that matter. */
export function snippetOf(text: string | null | undefined, max = 200): string {
  if (!text) return "";
  const lines = text.split("\n").filter((line) => !line.trimStart().startsWith(">"));
  const flat = lines.join(" ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function entryKind(entry: TimelineEntry, t: Translate, has: Has): string {
  switch (entry.kind) {
    case "message":
      return t(`customer.timeline.entry.${entry.direction ?? "inbound"}`);
    case "call": {
      const kind = t(entry.direction === "outbound" ? "customer.timeline.entry.callOut" : "customer.timeline.entry.callIn");
      return entry.duration_seconds ? t("customer.timeline.entry.callLength", { kind, duration: formatDuration(entry.duration_seconds) }) : kind;
    }
    case "ticket_event": {
      const key = `customer.timeline.events.${entry.event}`;
      return has(key) ? t(key) : t("customer.timeline.events.other");
    }
    case "kb_activity": {
      const key = `customer.timeline.kb.surfaces.${entry.surface}`;
      return has(key) ? t(key) : t("customer.timeline.entry.kb_activity");
    }
    default:
      return t(`customer.timeline.entry.${entry.kind}`);
  }
}

export function entrySnippet(entry: TimelineEntry, t: Translate, has: Has): string {
  switch (entry.kind) {
    case "message":
      return snippetOf(entry.body);
    case "call":
      return snippetOf(entry.notes) || t("customer.timeline.entry.noNotes");
    case "ticket_event": {
      const data = entry.data ?? {};
      const [from, to] = [data.from, data.to];
      // Status and priority changes say what they became, in the agent's words.
      if (typeof to === "string" && (entry.event === "status_changed" || entry.event === "priority_changed")) {
        const area = entry.event === "status_changed" ? "status" : "priority";
        const word = (value: unknown) => (typeof value === "string" && has(`${area}.${value}`) ? t(`${area}.${value}`) : String(value ?? ""));
        return from ? `${word(from)} → ${word(to)}` : word(to);
      }
      const actor = entry.actor && "name" in entry.actor ? entry.actor.name : null;
      return actor ? t("customer.timeline.entry.by", { name: actor }) : "";
    }
    case "kb_activity":
      return kbActivity(entry, t);
    default:
      return "";
  }
}

/** "Searched “refund” (no results)", "Read “Refund policy”", "Rated “Refund policy” not helpful". */
function kbActivity(activity: TimelineEntry, t: Translate): string {
  // a deleted article leaves the activity, without its article
  const title = activity.article && "title" in activity.article ? activity.article.title : t("customer.timeline.kb.deletedArticle");
  switch (activity.action) {
    case "searched": {
      const count = activity.result_count ?? 0;
      const key = count === 0 ? "searchedNone" : count === 1 ? "searchedOne" : "searchedMany";
      return t(`customer.timeline.kb.${key}`, { query: snippetOf(activity.query, 80), count });
    }
    case "viewed":
      return t("customer.timeline.kb.viewed", { title });
    case "rated": {
      if (activity.helpful) return t("customer.timeline.kb.ratedHelpful", { title });
      const comment = activity.comment?.trim();
      return comment
        ? t("customer.timeline.kb.ratedNotHelpfulSaying", { title, comment: snippetOf(comment, 160) })
        : t("customer.timeline.kb.ratedNotHelpful", { title });
    }
    default:
      return "";
  }
}
