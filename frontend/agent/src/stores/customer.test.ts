import { afterEach, describe, expect, it, vi } from "vitest";
import { ref } from "vue";
import { ApiError, api } from "@/api/client";
import { mergedInto, useTimeline, type TimelineFilters } from "./customer";

// The timeline's requests, answered in turn; each request's path and query is kept.
function answers(...pages: { items: { id: number }[]; next_cursor: string | null }[]) {
  const asked: { path: unknown; query: Record<string, unknown> }[] = [];
  const queue = [...pages];
  vi.spyOn(api, "GET").mockImplementation((async (_url: string, init: { params: { path: unknown; query: Record<string, unknown> } }) => {
    asked.push(init.params);
    await Promise.resolve();
    return { data: queue.shift(), response: new Response(null, { status: 200 }) };
  }) as never);
  return asked;
}

afterEach(() => vi.restoreAllMocks());

describe("the customer's timeline", () => {
  it("appends keyset pages until the last, one request at a time", async () => {
    const asked = answers({ items: [{ id: 3 }, { id: 2 }], next_cursor: "c1" }, { items: [{ id: 1 }], next_cursor: null });
    const timeline = useTimeline(ref(7), ref<TimelineFilters>({ channel: null, kind: null }), 2);

    await timeline.reset();
    await Promise.all([timeline.more(), timeline.more()]);
    await timeline.more();

    expect(timeline.entries.value.map((entry) => entry.id)).toEqual([3, 2, 1]);
    expect(timeline.done.value).toBe(true);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toEqual({ path: { customer_id: 7 }, query: { limit: 2 } });
    expect(asked[1].query.cursor).toBe("c1");
  });

  it("starts over on new filters and drops an answer to the old ones", async () => {
    const asked = answers({ items: [{ id: 9 }], next_cursor: "old" }, { items: [{ id: 4 }], next_cursor: null });
    const filters = ref<TimelineFilters>({ channel: null, kind: null });
    const timeline = useTimeline(ref(7), filters);

    const stale = timeline.reset();
    filters.value = { channel: "phone", kind: "call" };
    await Promise.all([stale, timeline.reset()]);

    expect(timeline.entries.value.map((entry) => entry.id)).toEqual([4]);
    expect(asked[1].query).toEqual({ limit: 100, channel: "phone", kind: "call" });
  });
});

describe("a merged customer", () => {
  it("names the customer it was merged into", () => {
    expect(mergedInto(new ApiError(404, { title: "Not Found", merged_into: 12 }))).toBe(12);
    expect(mergedInto(new ApiError(404, { title: "Not Found" }))).toBeNull();
    expect(mergedInto(new Error("offline"))).toBeNull();
  });
});
