import { describe, expect, it } from "vitest";
import { usePagedList, type Page } from "./pagedList";

type Row = { id: number; name: string };

function pages(...answers: (Page<Row> | Error)[]) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (cursor?: string): Promise<Page<Row>> => {
    asked.push(cursor);
    const next = answers.shift();
    if (!next || next instanceof Error) throw next ?? new Error("no more answers");
    return next;
  };
  return { fetchPage, asked };
}

const row = (id: number, name = `row ${id}`): Row => ({ id, name });

describe("usePagedList", () => {
  it("loads the first page, then the next on demand, without twins", async () => {
    const { fetchPage, asked } = pages({ items: [row(1), row(2)], next_cursor: "c2" }, { items: [row(2), row(3)], next_cursor: null });
    const list = usePagedList(fetchPage);
    expect(list.state.value).toBe("loading");

    await list.reload();
    expect(list.state.value).toBe("ready");
    expect(list.hasMore.value).toBe(true);

    await list.loadMore();
    expect(list.items.value.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(list.hasMore.value).toBe(false);
    expect(asked).toEqual([undefined, "c2"]);
  });

  it("says the list failed, and a retry recovers", async () => {
    const { fetchPage } = pages(new Error("offline"), { items: [], next_cursor: null });
    const list = usePagedList(fetchPage);

    await list.reload();
    expect(list.state.value).toBe("error");
    await list.reload();
    expect(list.state.value).toBe("ready");
    expect(list.items.value).toEqual([]);
  });

  it("keeps only the latest reload's answer", async () => {
    let release: (page: Page<Row>) => void = () => {};
    const slow = new Promise<Page<Row>>((resolve) => (release = resolve));
    const answers = [slow, Promise.resolve({ items: [row(9)], next_cursor: null })];
    const list = usePagedList<Row>(() => answers.shift()!);

    const first = list.reload();
    await list.reload();
    release({ items: [row(1)], next_cursor: null });
    await first;

    expect(list.items.value.map((r) => r.id)).toEqual([9]);
  });

  it("puts a saved row in place, a new one first, and removes one", async () => {
    const { fetchPage } = pages({ items: [row(1), row(2)], next_cursor: null });
    const list = usePagedList(fetchPage);
    await list.reload();

    list.upsert(row(2, "renamed"));
    list.upsert(row(3));
    list.remove(1);

    expect(list.items.value).toEqual([row(3), row(2, "renamed")]);
  });
});
