// Customers as the workspace reads them: one cache shared by the ticket page's panel and the
// customer page (an edit or a merge in one shows in the other), and the timeline's keyset pages.
import { defineStore } from "pinia";
import { ref, shallowRef, type Ref } from "vue";
import { ApiError, answer, api } from "@/api/client";
import type { ContactSummary, ContextCard, Customer, Identity, MergePreview, MergeRecord, PossibleMatch, Repeat, TimelineEntry } from "@/api/types";

export type CustomerChanges = Partial<Pick<Customer, "name" | "emails" | "phones" | "external_id" | "locale">>;
export type TimelineChannel = TimelineEntry["channel"];
export type TimelineKind = TimelineEntry["kind"];

/** A customer merged away answers 404 with `merged_into`: the id to show instead, if any. */
export function mergedInto(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 404) return null;
  const into = error.problem.merged_into;
  return typeof into === "number" ? into : null;
}

export const useCustomers = defineStore("customers", () => {
  const byId = ref(new Map<number, Customer>());
  // Bumped by every merge, so that open panels reload what a merge moved.
  const mergeCount = ref(0);

  function remember(customer: Customer): Customer {
    byId.value.set(customer.id, customer);
    return customer;
  }

  async function load(id: number): Promise<Customer> {
    const path = { customer_id: id };
    return remember(await answer(api.GET("/api/v1/customers/{customer_id}", { params: { path } })) as Customer);
  }

  async function update(id: number, changes: CustomerChanges): Promise<Customer> {
    const path = { customer_id: id };
    return remember((await answer(api.PATCH("/api/v1/customers/{customer_id}", { params: { path }, body: changes }))) as Customer);
  }

  async function search(q: string, cursor: string | null = null, limit = 50): Promise<{ items: Customer[]; next_cursor: string | null }> {
    const query = { limit, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) };
    const page = await answer(api.GET("/api/v1/customers", { params: { query } }));
    return { items: (page.items as Customer[]).map(remember), next_cursor: page.next_cursor ?? null };
  }

  async function contacts(id: number, ticketId?: number): Promise<ContactSummary & { repeat: Repeat | null }> {
    const params = { path: { customer_id: id }, query: ticketId ? { ticket_id: ticketId } : {} };
    const summary = (await answer(api.GET("/api/v1/customers/{customer_id}/contacts", { params }))) as ContactSummary;
    // The document types a nullable nested object as `{} | null | Repeat`: no `count` means none.
    const repeat = summary.repeat && "count" in summary.repeat ? (summary.repeat as Repeat) : null;
    return { ...summary, repeat };
  }

  async function identities(id: number): Promise<Identity[]> {
    const params = { path: { customer_id: id } };
    return (await answer(api.GET("/api/v1/customers/{customer_id}/identities", { params }))).items as Identity[];
  }

  async function claimedEmails(id: number): Promise<string[]> {
    const params = { path: { customer_id: id } };
    const list = await answer(api.GET("/api/v1/customers/{customer_id}/claimed-emails", { params }));
    return (list.items ?? []).map((item) => item.email ?? "").filter(Boolean);
  }

  async function possibleMatches(id: number): Promise<PossibleMatch[]> {
    const params = { path: { customer_id: id } };
    return ((await answer(api.GET("/api/v1/customers/{customer_id}/possible-matches", { params }))).items ?? []) as PossibleMatch[];
  }

  async function merges(id: number): Promise<MergeRecord[]> {
    const params = { path: { customer_id: id }, query: { limit: 20 } };
    return (await answer(api.GET("/api/v1/customers/{customer_id}/merges", { params }))).items as MergeRecord[];
  }

  async function context(id: number): Promise<ContextCard[]> {
    const params = { path: { customer_id: id } };
    return ((await answer(api.GET("/api/v1/customers/{customer_id}/context", { params }))).cards ?? []) as ContextCard[];
  }

  async function mergePreview(survivorId: number, sourceId: number): Promise<MergePreview> {
    const params = { path: { customer_id: survivorId }, query: { source_id: sourceId } };
    return (await answer(api.GET("/api/v1/customers/{customer_id}/merge-preview", { params }))) as MergePreview;
  }

  /** Merges `sourceId` into `survivorId`; the source is forgotten (it now answers 404). */
  async function merge(survivorId: number, sourceId: number): Promise<Customer> {
    const params = { path: { customer_id: survivorId } };
    const survivor = remember((await answer(api.POST("/api/v1/customers/{customer_id}/merge", { params, body: { source_id: sourceId } }))) as Customer);
    byId.value.delete(sourceId);
    mergeCount.value += 1;
    return survivor;
  }

  /** Ticket refs (SD-1042) for a customer's tickets: the timeline only carries ticket ids. */
  async function ticketRefs(id: number): Promise<Map<number, { ref: string; subject: string }>> {
    const query = { customer_id: id, limit: 200 };
    const page = await answer(api.GET("/api/v1/tickets", { params: { query } }));
    return new Map((page.items ?? []).map((t) => [t.id as number, { ref: t.ref as string, subject: t.subject as string }]));
  }

  return { byId, mergeCount, load, update, search, contacts, identities, claimedEmails, possibleMatches, merges, context, mergePreview, merge, ticketRefs };
});

export interface TimelineFilters {
  channel: TimelineChannel | null;
  kind: TimelineKind | null;
}

/**
 * A customer's timeline, newest first, a keyset page at a time: `more()` appends the next page
 * (one request at a time; a filter change starts over and drops answers to the old filters).
 */
export function useTimeline(customerId: Ref<number>, filters: Ref<TimelineFilters>, pageSize = 100) {
  const entries = shallowRef<TimelineEntry[]>([]);
  const cursor = ref<string | null>(null);
  const done = ref(false);
  const loading = ref(false);
  const error = ref<unknown>(null);
  let generation = 0;

  async function more(): Promise<void> {
    if (loading.value || done.value) return;
    const mine = generation;
    loading.value = true;
    error.value = null;
    try {
      const { channel, kind } = filters.value;
      const query = { limit: pageSize, ...(cursor.value ? { cursor: cursor.value } : {}), ...(channel ? { channel } : {}), ...(kind ? { kind } : {}) };
      const page = await answer(api.GET("/api/v1/customers/{customer_id}/timeline", { params: { path: { customer_id: customerId.value }, query } }));
      if (mine !== generation) return;
      entries.value = [...entries.value, ...(page.items as TimelineEntry[])];
      cursor.value = page.next_cursor ?? null;
      done.value = !page.next_cursor;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function reset(): Promise<void> {
    generation += 1;
    entries.value = [];
    cursor.value = null;
    done.value = false;
    loading.value = false;
    error.value = null;
    return more();
  }

  return { entries, done, loading, error, more, reset };
}
