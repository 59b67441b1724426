// The knowledge base as agents write it: the article list (keyset pages), one article's editing
// (what changed since it was loaded, the live preview), its versions, flags and the review queue,
// and the categories every picker shows (one cache, reloaded after a change).
//
// The rules that need no server are plain functions (`toArticleQuery`, `formOf`, `articleChanges`,
// `insertAt`, `helpfulRatio`), tested without a browser (kb.test.ts).
import { defineStore } from "pinia";
import { onScopeDispose, ref, shallowRef, watch, type Ref } from "vue";
import { answer, api } from "@/api/client";
import type {
  Article,
  ArticleChanges,
  ArticleDiff,
  ArticleFlag,
  ArticleListItem,
  ArticleVersion,
  ArticleVersionDetail,
  KbCategory,
  KbImage,
  KbSection,
  ReviewItem,
} from "@/api/types";
import type { Locale } from "@/i18n";

export type ArticleStatus = Article["status"];
export type ArticleSort = "score" | "recent";
export type FlagReason = ArticleFlag["reason"];
export type FlagResolution = "fixed" | "dismissed";
export const FLAG_REASONS: FlagReason[] = ["inaccurate", "outdated", "incomplete", "other"];
export const PAGE_SIZE = 50;
/** The periods the editors' reports (searches with no result, deflection) look back over. */
export const REPORT_DAYS = [7, 30, 90] as const;
export type ReportDays = (typeof REPORT_DAYS)[number];
/** The preview is asked for after this pause in typing. */
export const PREVIEW_DELAY_MS = 300;

type Schemas = import("@/api/schema").components["schemas"];
export type UnansweredSearch = Schemas["UnansweredSearch"];
/** Suggestions shown, opened, contacted us anyway, settled (their day over), deflected; and
 * `rate` = deflected / settled, null while none is settled. */
export type DeflectionFigures = Schemas["Figures"];
export type DeflectionItem = Schemas["ArticleFigures"];
export type DeflectionReport = Schemas["DeflectionReport"];
export type ArticleLink = Schemas["ArticleLink"];

/** The article a report row or an activity is about; null once it was deleted. */
export function linkedArticle(article: ArticleLink | Record<string, never> | null | undefined): ArticleLink | null {
  return article && "id" in article ? (article as ArticleLink) : null;
}

/** A share as the reports show it ("42%"), or the dash when there is none yet. */
export function percentText(rate: number | null | undefined, none = "—"): string {
  return rate === null || rate === undefined ? none : `${Math.round(rate * 100)}%`;
}

export interface ArticleFilters {
  q?: string;
  locale?: Locale | null;
  category_id?: number | null;
  status?: ArticleStatus | null;
  sort?: ArticleSort;
}

type ArticleQuery = NonNullable<import("@/api/schema").operations["listArticles"]["parameters"]["query"]>;

/** The filters as `GET /kb/articles` takes them: only what is set, the search trimmed. A search
 * lists by relevance, so `sort` goes only without one. */
export function toArticleQuery(filters: ArticleFilters, cursor: string | null = null, limit = PAGE_SIZE): ArticleQuery {
  const query: ArticleQuery = { limit };
  const q = filters.q?.trim();
  if (q) query.q = q;
  else if (filters.sort) query.sort = filters.sort;
  if (filters.locale) query.locale = filters.locale;
  if (filters.category_id) query.category_id = filters.category_id;
  if (filters.status) query.status = filters.status;
  if (cursor) query.cursor = cursor;
  return query;
}

/** What the editor's form holds: the fields an agent edits. */
export interface ArticleForm {
  title: string;
  slug: string;
  locale: Locale;
  category_id: number | null;
  section_id: number | null;
  status: ArticleStatus;
  description: string;
  body: string;
  related_ids: number[];
}

export function emptyForm(locale: Locale): ArticleForm {
  return { title: "", slug: "", locale, category_id: null, section_id: null, status: "draft", description: "", body: "", related_ids: [] };
}

/** The form for a saved article. */
export function formOf(article: Article): ArticleForm {
  return {
    title: article.title,
    slug: article.slug,
    locale: article.locale,
    category_id: article.category_id,
    section_id: article.section_id,
    status: article.status,
    description: article.description,
    body: article.body,
    related_ids: article.related.map((link) => link.id),
  };
}

/** Only what the agent changed, as `PATCH /kb/articles/{id}` takes it (an empty description clears it). */
export function articleChanges(saved: ArticleForm, form: ArticleForm): ArticleChanges {
  const changes: ArticleChanges = {};
  if (form.title !== saved.title) changes.title = form.title;
  if (form.slug.trim() && form.slug.trim() !== saved.slug) changes.slug = form.slug.trim();
  if (form.locale !== saved.locale) changes.locale = form.locale;
  if (form.category_id !== saved.category_id) changes.category_id = form.category_id;
  if (form.section_id !== saved.section_id) changes.section_id = form.section_id;
  if (form.status !== saved.status) changes.status = form.status;
  if (form.description.trim() !== saved.description.trim()) changes.description = form.description.trim() || null;
  if (form.body !== saved.body) changes.body = form.body;
  if (form.related_ids.join() !== saved.related_ids.join()) changes.related_ids = [...form.related_ids];
  return changes;
}

export function isDirty(saved: ArticleForm, form: ArticleForm): boolean {
  return Object.keys(articleChanges(saved, form)).length > 0;
}

/** A new article's body for `POST /kb/articles`: empty optional fields left out. */
export function creation(form: ArticleForm, translationOf: number | null = null) {
  return {
    title: form.title,
    body: form.body,
    locale: form.locale,
    status: form.status,
    ...(form.slug.trim() ? { slug: form.slug.trim() } : {}),
    ...(form.category_id ? { category_id: form.category_id } : {}),
    ...(form.section_id ? { section_id: form.section_id } : {}),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.related_ids.length ? { related_ids: [...form.related_ids] } : {}),
    ...(translationOf ? { translation_of: translationOf } : {}),
  };
}

/** `text` with `snippet` put at `start..end` (the selection), on a line of its own when it is a
 * block such as an image; and where the caret goes after it. */
export function insertAt(text: string, start: number, end: number, snippet: string): { text: string; caret: number } {
  const before = text.slice(0, start);
  const after = text.slice(end);
  const lead = before && !before.endsWith("\n") ? "\n" : "";
  const trail = after && !after.startsWith("\n") ? "\n" : "";
  const inserted = `${lead}${snippet}${trail}`;
  return { text: before + inserted + after, caret: before.length + lead.length + snippet.length };
}

/** The Markdown that shows an uploaded image; its alt text is the file's name without the extension. */
export function imageMarkdown(image: Pick<KbImage, "url" | "filename">): string {
  const alt = image.filename.replace(/\.[^.]+$/, "").replace(/[[\]]/g, "");
  return `![${alt}](${image.url})`;
}

/** The helpful share of the votes, or null with none. */
export function helpfulRatio(helpful: number, notHelpful: number): number | null {
  const total = helpful + notHelpful;
  return total ? helpful / total : null;
}

/** What the composer inserts for an article: a Markdown link to its help-center page, or its text. */
export function articleLink(article: Pick<ArticleListItem, "title" | "slug" | "locale">, origin: string): string {
  return `[${article.title.replace(/[[\]]/g, "")}](${origin}/help/${article.locale}/articles/${encodeURIComponent(article.slug)})`;
}

/** A flag raised from a ticket starts its note by naming the ticket ("From SD-1042: "). */
export function ticketFlagNote(ticketRef: string | null | undefined, t: (key: string, named: Record<string, unknown>) => string): string {
  return ticketRef ? t("kb.flags.fromTicket", { ref: ticketRef }) : "";
}

/** A category's or section's name in the agent's language, else in the other one. */
export function localName(names: Record<string, string>, locale: Locale): string {
  return names[locale] || Object.values(names).find(Boolean) || "";
}

export const useKnowledge = defineStore("kb", () => {
  const categories = ref<KbCategory[]>([]);
  let categoriesLoaded: Promise<void> | null = null;

  async function reloadCategories(): Promise<void> {
    const page = await answer(api.GET("/api/v1/kb/categories", { params: { query: { limit: 200 } } }));
    categories.value = page.items as KbCategory[];
  }

  /** The categories with their sections, read once (a change here reloads them). */
  function loadCategories(): Promise<void> {
    categoriesLoaded ??= reloadCategories().catch((error) => {
      categoriesLoaded = null;
      throw error;
    });
    return categoriesLoaded;
  }

  async function list(filters: ArticleFilters, cursor: string | null = null): Promise<{ items: ArticleListItem[]; next_cursor: string | null }> {
    const page = await answer(api.GET("/api/v1/kb/articles", { params: { query: toArticleQuery(filters, cursor) } }));
    return { items: page.items as ArticleListItem[], next_cursor: page.next_cursor ?? null };
  }

  async function load(id: number): Promise<Article> {
    return (await answer(api.GET("/api/v1/kb/articles/{id_or_slug}", { params: { path: { id_or_slug: String(id) } } }))) as Article;
  }

  async function create(form: ArticleForm, translationOf: number | null = null): Promise<Article> {
    return (await answer(api.POST("/api/v1/kb/articles", { body: creation(form, translationOf) }))) as Article;
  }

  async function update(id: number, changes: ArticleChanges): Promise<Article> {
    return (await answer(api.PATCH("/api/v1/kb/articles/{id_or_slug}", { params: { path: { id_or_slug: String(id) } }, body: changes }))) as Article;
  }

  async function remove(id: number): Promise<void> {
    await answer(api.DELETE("/api/v1/kb/articles/{id_or_slug}", { params: { path: { id_or_slug: String(id) } } }));
  }

  async function render(body: string): Promise<string> {
    return (await answer(api.POST("/api/v1/kb/render", { body: { body } }))).body_html ?? "";
  }

  async function uploadImage(file: File): Promise<KbImage> {
    const form = new FormData();
    form.append("file", file);
    return (await answer(api.POST("/api/v1/kb/images", { body: form as never, bodySerializer: (body: unknown) => body as FormData }))) as KbImage;
  }

  async function versions(id: number, cursor: string | null = null): Promise<{ items: ArticleVersion[]; next_cursor: string | null }> {
    const query = { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const page = await answer(api.GET("/api/v1/kb/articles/{article_id}/versions", { params: { path: { article_id: id }, query } }));
    return { items: page.items as ArticleVersion[], next_cursor: page.next_cursor ?? null };
  }

  async function version(id: number, number: number): Promise<ArticleVersionDetail> {
    const path = { article_id: id, number };
    return (await answer(api.GET("/api/v1/kb/articles/{article_id}/versions/{number}", { params: { path } }))) as ArticleVersionDetail;
  }

  /** What changed from version `number` to `against` (the current one, in the editor). */
  async function diff(id: number, number: number, against: number): Promise<ArticleDiff> {
    const params = { path: { article_id: id, number: against }, query: { against: number } };
    return (await answer(api.GET("/api/v1/kb/articles/{article_id}/versions/{number}/diff", { params }))) as ArticleDiff;
  }

  async function restore(id: number, number: number): Promise<Article> {
    const path = { article_id: id, number };
    return (await answer(api.POST("/api/v1/kb/articles/{article_id}/versions/{number}/restore", { params: { path } }))) as Article;
  }

  async function flag(id: number, reason: FlagReason, note: string): Promise<ArticleFlag> {
    const body = { reason, ...(note.trim() ? { note: note.trim() } : {}) };
    return (await answer(api.POST("/api/v1/kb/articles/{article_id}/flags", { params: { path: { article_id: id } }, body }))) as ArticleFlag;
  }

  async function openFlags(id: number): Promise<ArticleFlag[]> {
    const query = { article_id: id, status: "open" as const, limit: 200 };
    return (await answer(api.GET("/api/v1/kb/flags", { params: { query } }))).items as ArticleFlag[];
  }

  async function resolveFlag(flagId: number, resolution: FlagResolution, note: string): Promise<ArticleFlag> {
    const body = { resolution, ...(note.trim() ? { note: note.trim() } : {}) };
    return (await answer(api.POST("/api/v1/kb/flags/{flag_id}/resolve", { params: { path: { flag_id: flagId } }, body }))) as ArticleFlag;
  }

  async function review(filters: { locale?: Locale | null }, cursor: string | null = null): Promise<{ items: ReviewItem[]; next_cursor: string | null }> {
    const query = { limit: PAGE_SIZE, ...(filters.locale ? { locale: filters.locale } : {}), ...(cursor ? { cursor } : {}) };
    const page = await answer(api.GET("/api/v1/kb/review", { params: { query } }));
    return { items: page.items as ReviewItem[], next_cursor: page.next_cursor ?? null };
  }

  /** Published articles for a ticket's words (the composer's suggestions), best match first. */
  async function suggest(q: string, limit = 5): Promise<ArticleListItem[]> {
    const query = { ...toArticleQuery({ q, status: "published" }, null, limit) };
    return (await answer(api.GET("/api/v1/kb/articles", { params: { query } }))).items as ArticleListItem[];
  }

  /** What readers searched for and found nothing, the most searched first (what to write next). */
  async function unansweredSearches(days: ReportDays, cursor: string | null = null): Promise<{ items: UnansweredSearch[]; next_cursor: string | null }> {
    const query = { days, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const page = await answer(api.GET("/api/v1/kb/searches/unanswered", { params: { query } }));
    return { items: page.items, next_cursor: page.next_cursor };
  }

  /** What came of the articles suggested before a contact: overall, and per article. */
  async function deflection(days: ReportDays, cursor: string | null = null): Promise<DeflectionReport> {
    const query = { days, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    return answer(api.GET("/api/v1/kb/deflection", { params: { query } }));
  }

  /** Counts one use of the article in a reply; answers its count now. */
  async function recordUse(id: number): Promise<number> {
    return (await answer(api.POST("/api/v1/kb/articles/{article_id}/uses", { params: { path: { article_id: id } } }))).reply_use_count;
  }

  async function saveCategory(id: number | null, names: Record<Locale, string>): Promise<KbCategory> {
    const body = { names: cleanNames(names) };
    const saved = id
      ? await answer(api.PATCH("/api/v1/kb/categories/{category_id}", { params: { path: { category_id: id } }, body }))
      : await answer(api.POST("/api/v1/kb/categories", { body }));
    await reloadCategories();
    return saved as KbCategory;
  }

  async function removeCategory(id: number): Promise<void> {
    await answer(api.DELETE("/api/v1/kb/categories/{category_id}", { params: { path: { category_id: id } } }));
    await reloadCategories();
  }

  async function saveSection(id: number | null, categoryId: number, names: Record<Locale, string>): Promise<KbSection> {
    const saved = id
      ? await answer(api.PATCH("/api/v1/kb/sections/{section_id}", { params: { path: { section_id: id } }, body: { names: cleanNames(names) } }))
      : await answer(api.POST("/api/v1/kb/sections", { body: { category_id: categoryId, names: cleanNames(names) } }));
    await reloadCategories();
    return saved as KbSection;
  }

  async function removeSection(id: number): Promise<void> {
    await answer(api.DELETE("/api/v1/kb/sections/{section_id}", { params: { path: { section_id: id } } }));
    await reloadCategories();
  }

  return {
    categories, loadCategories, list, load, create, update, remove, render, uploadImage,
    versions, version, diff, restore, flag, openFlags, resolveFlag, review, suggest, recordUse,
    unansweredSearches, deflection,
    saveCategory, removeCategory, saveSection, removeSection,
  };
});

/** Names without the blank locales (the desk keeps one locale at least). */
export function cleanNames(names: Record<Locale, string>): Partial<Record<Locale, string>> {
  return Object.fromEntries(Object.entries(names).map(([key, value]) => [key, value.trim()]).filter(([, value]) => value));
}

/**
 * The rendered preview of a Markdown body: asked for after a pause in typing, an answer to
 * older text dropped when newer text was sent since.
 */
export function usePreview(body: Ref<string>, render: (body: string) => Promise<string>, delay = PREVIEW_DELAY_MS) {
  const html = shallowRef("");
  const pending = ref(false);
  const error = ref<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    pending.value = true;
    try {
      const rendered = await render(body.value);
      if (mine !== generation) return;
      html.value = rendered;
      error.value = null;
    } catch (failure) {
      if (mine === generation) error.value = failure;
    } finally {
      if (mine === generation) pending.value = false;
    }
  }

  watch(body, () => {
    clearTimeout(timer);
    pending.value = true;
    timer = setTimeout(() => void refresh(), delay);
  });
  onScopeDispose(() => clearTimeout(timer));
  return { html, pending, error, refresh };
}
