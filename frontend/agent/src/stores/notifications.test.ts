import { describe, expect, it } from "vitest";
import type { Notification } from "@/api/types";
import { prependNotification, ringsFor } from "./notifications";

const note = (id: number) => ({ id, kind: "mention", read_at: null }) as Notification;

describe("notifications", () => {
  it("puts a new notification first, once, keeping the list short", () => {
    expect(prependNotification([note(2), note(1)], note(3)).map((n) => n.id)).toEqual([3, 2, 1]);
    expect(prependNotification([note(2), note(1)], note(1)).map((n) => n.id)).toEqual([1, 2]);
    expect(prependNotification([note(2), note(1)], note(3), 2).map((n) => n.id)).toEqual([3, 2]);
  });

  it("rings for chats unless the agent turned it off", () => {
    expect(ringsFor({ ring: true })).toBe(true);
    expect(ringsFor({})).toBe(true);
    expect(ringsFor({ ring: false })).toBe(false);
  });
});
