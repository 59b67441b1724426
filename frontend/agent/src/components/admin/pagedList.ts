// One admin list read page by page (the desk's keyset pages): the first page on start, the
// next on "load more", and the state the section shows (loading, error, empty, rows).
import { ref, shallowRef, type Ref } from "vue";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type ListState = "loading" | "ready" | "error";

export interface PagedList<T> {
  items: Ref<T[]>;
  state: Ref<ListState>;
  hasMore: Ref<boolean>;
  loadingMore: Ref<boolean>;
  reload: () => Promise<void>;
  loadMore: () => Promise<void>;
  /** Put a row the desk answered with in place of the one with its id, or first if new. */
  upsert: (row: T) => void;
  remove: (id: number) => void;
}

export function usePagedList<T extends { id: number }>(fetchPage: (cursor?: string) => Promise<Page<T>>): PagedList<T> {
  const items = shallowRef<T[]>([]);
  const state = ref<ListState>("loading");
  const cursor = ref<string | null>(null);
  const hasMore = ref(false);
  const loadingMore = ref(false);
  // A reload started while an older one is still out wins: the older answer is dropped.
  let generation = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    state.value = "loading";
    try {
      const page = await fetchPage();
      if (mine !== generation) return;
      items.value = page.items;
      cursor.value = page.next_cursor;
      hasMore.value = Boolean(page.next_cursor);
      state.value = "ready";
    } catch {
      if (mine === generation) state.value = "error";
    }
  }

  async function loadMore(): Promise<void> {
    if (!cursor.value || loadingMore.value) return;
    const mine = generation;
    loadingMore.value = true;
    try {
      const page = await fetchPage(cursor.value);
      if (mine !== generation) return;
      const known = new Set(items.value.map((row) => row.id));
      items.value = [...items.value, ...page.items.filter((row) => !known.has(row.id))];
      cursor.value = page.next_cursor;
      hasMore.value = Boolean(page.next_cursor);
    } finally {
      loadingMore.value = false;
    }
  }

  function upsert(row: T): void {
    const at = items.value.findIndex((known) => known.id === row.id);
    items.value = at < 0 ? [row, ...items.value] : items.value.map((known, i) => (i === at ? row : known));
  }

  function remove(id: number): void {
    items.value = items.value.filter((row) => row.id !== id);
  }

  return { items, state, hasMore, loadingMore, reload, loadMore, upsert, remove };
}
