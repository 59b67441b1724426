import { describe, expect, it } from "vitest";
import { i18n, LOCALES, type Locale } from "@/i18n";
import {
  CHANNELS,
  PRIORITIES,
  PRIORITIES_URGENT_FIRST,
  STATUS_MOVES,
  STATUSES,
  TIMELINE_CHANNELS,
  ticketOptions,
} from "./ticketOptions";

// The messages' inferred types are too deep to check a free-form key against: one cast, here.
const lookUp = (i18n.global as unknown as { t: (key: string, named: object, options: { locale: Locale }) => string }).t;
const wordsIn = (locale: Locale) => (key: string) => lookUp(key, {}, { locale });
const en = wordsIn("en");
const labels = (options: { label: string }[]): string[] => options.map((option) => option.label);

describe("the ticket pickers' options", () => {
  it("label each value with its word, in the agent's language", () => {
    expect(ticketOptions("status", STATUSES, en)).toEqual([
      { value: "new", label: "New" },
      { value: "open", label: "Open" },
      { value: "pending", label: "Pending" },
      { value: "on_hold", label: "On hold" },
      { value: "solved", label: "Solved" },
      { value: "closed", label: "Closed" },
    ]);
    expect(labels(ticketOptions("priority", PRIORITIES, wordsIn("zh-CN")))).toEqual(["低", "普通", "高", "紧急"]);
  });

  it("put urgent first in the inbox and low first on a ticket", () => {
    expect(labels(ticketOptions("priority", PRIORITIES_URGENT_FIRST, en))).toEqual(["Urgent", "High", "Normal", "Low"]);
    expect(labels(ticketOptions("priority", PRIORITIES, en))).toEqual(["Low", "Normal", "High", "Urgent"]);
  });

  it("offer every status but new as a move, in the ticket's order", () => {
    expect(STATUS_MOVES).toEqual(["open", "pending", "on_hold", "solved", "closed"]);
  });

  it("list the desk's own events on the timeline only, after the tickets' channels", () => {
    expect(CHANNELS).toEqual(["email", "chat", "phone", "web"]);
    expect(TIMELINE_CHANNELS).toEqual([...CHANNELS, "system"]);
  });

  it("have a word for every value in both languages", () => {
    for (const locale of LOCALES) {
      const t = wordsIn(locale);
      const options = [
        ...ticketOptions("status", STATUSES, t).map((option) => ({ ...option, key: `status.${option.value}` })),
        ...ticketOptions("priority", PRIORITIES, t).map((option) => ({ ...option, key: `priority.${option.value}` })),
        ...ticketOptions("channel", TIMELINE_CHANNELS, t).map((option) => ({ ...option, key: `channel.${option.value}` })),
      ];
      expect(options.filter((option) => option.label === option.key)).toEqual([]);
    }
  });
});
