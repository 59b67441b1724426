import { afterEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick, ref } from "vue";
import type { Article } from "@/api/types";
import { addArea, i18n, type Locale } from "@/i18n";
import kbWords from "@/i18n/areas/kb";
import { articleChanges, articleLink, cleanNames, creation, emptyForm, formOf, helpfulRatio, imageMarkdown, insertAt, isDirty, linkedArticle, localName, percentText, ticketFlagNote, toArticleQuery, usePreview } from "./kb";

addArea(kbWords);
// (the messages' inferred types are too deep to check a free-form key against)
const global = i18n.global as unknown as { t: (key: string, named: object, options: { locale: string }) => string };
const translate = (locale: Locale) => (key: string, named: Record<string, unknown>) => global.t(key, named, { locale });

const article = {
  id: 4, slug: "reset-password", title: "Reset your password", locale: "en", category_id: 2, section_id: 5, status: "published",
  description: "How to reset it", version: 3, body: "Step one.", body_html: "<p>Step one.</p>",
  related: [{ id: 8, locale: "en", slug: "sign-in", title: "Sign in", status: "published" }], translations: [],
} as unknown as Article;

afterEach(() => vi.useRealTimers());

describe("the article list's query", () => {
  it("sends only what is set, and no order with a search (best match first)", () => {
    expect(toArticleQuery({ q: "  ", locale: null, category_id: null, status: null, sort: "score" })).toEqual({ limit: 50, sort: "score" });
    expect(toArticleQuery({ q: " 退款 ", locale: "zh-CN", category_id: 3, status: "draft", sort: "recent" }, "c2", 20)).toEqual({
      limit: 20, q: "退款", locale: "zh-CN", category_id: 3, status: "draft", cursor: "c2",
    });
  });
});

describe("saving an article", () => {
  it("sends only the fields the agent changed", () => {
    const saved = formOf(article);
    const form = { ...saved, title: "Reset a password", related_ids: [8, 9], description: "" };
    expect(articleChanges(saved, form)).toEqual({ title: "Reset a password", related_ids: [8, 9], description: null });
    expect(isDirty(saved, formOf(article))).toBe(false);
  });

  it("keeps the slug when the field is left blank, and takes a new one trimmed", () => {
    const saved = formOf(article);
    expect(articleChanges(saved, { ...saved, slug: "  " })).toEqual({});
    expect(articleChanges(saved, { ...saved, slug: " new-slug " })).toEqual({ slug: "new-slug" });
  });

  it("files a section's and a category's removal as null", () => {
    const saved = formOf(article);
    expect(articleChanges(saved, { ...saved, category_id: null, section_id: null })).toEqual({ category_id: null, section_id: null });
  });

  it("creates without the empty optional fields, as a translation when asked", () => {
    const form = { ...emptyForm("zh-CN"), title: "重置密码", body: "第一步。" };
    expect(creation(form, 4)).toEqual({ title: "重置密码", body: "第一步。", locale: "zh-CN", status: "draft", translation_of: 4 });
  });
});

describe("inserting an uploaded image", () => {
  it("puts the Markdown on a line of its own at the caret, replacing the selection", () => {
    const markdown = imageMarkdown({ url: "/api/v1/kb/images/7", filename: "screen [1].png" });
    expect(markdown).toBe("![screen 1](/api/v1/kb/images/7)");
    expect(insertAt("Before after", 6, 7, markdown)).toEqual({ text: `Before\n${markdown}\nafter`, caret: 7 + markdown.length });
    expect(insertAt("", 0, 0, markdown)).toEqual({ text: markdown, caret: markdown.length });
    expect(insertAt("Line\n", 5, 5, "X")).toEqual({ text: "Line\nX", caret: 6 });
  });
});

describe("the composer's suggestions", () => {
  it("link to the article's help-center page, in its language", () => {
    expect(articleLink({ title: "Refund [policy]", slug: "退款政策", locale: "zh-CN" }, "https://desk.example")).toBe(
      "[Refund policy](https://desk.example/help/zh-CN/articles/%E9%80%80%E6%AC%BE%E6%94%BF%E7%AD%96)",
    );
  });
});

describe("flagging an article from a ticket", () => {
  it("starts the note with the ticket's reference, in the agent's language", () => {
    expect(ticketFlagNote("SD-1042", translate("en"))).toBe("From SD-1042: ");
    expect(ticketFlagNote("SD-1042", translate("zh-CN"))).toBe("来自 SD-1042：");
    expect(ticketFlagNote(undefined, translate("en"))).toBe("");
  });
});

describe("the editors' reports", () => {
  it("show a rate as a whole percentage, and a dash while there is none", () => {
    expect(percentText(0.425)).toBe("43%");
    expect(percentText(0)).toBe("0%");
    expect(percentText(null)).toBe("—");
  });

  it("tell a deleted article (sent as null or {}) from a live one", () => {
    const link = { id: 3, slug: "refund-policy", title: "Refund policy", locale: "en" as const, status: "published" as const };
    expect(linkedArticle(link)).toBe(link);
    expect(linkedArticle({})).toBeNull();
    expect(linkedArticle(null)).toBeNull();
  });
});

describe("figures and names", () => {
  it("has no helpful share without votes", () => {
    expect(helpfulRatio(0, 0)).toBeNull();
    expect(helpfulRatio(3, 1)).toBe(0.75);
  });

  it("names a category in the agent's language, else the other", () => {
    expect(localName({ en: "Billing", "zh-CN": "账单" }, "zh-CN")).toBe("账单");
    expect(localName({ en: "Billing" }, "zh-CN")).toBe("Billing");
    expect(cleanNames({ en: " Billing ", "zh-CN": " " })).toEqual({ en: "Billing" });
  });
});

describe("the live preview", () => {
  it("renders after a pause in typing, and drops an answer to older text", async () => {
    vi.useFakeTimers();
    const resolvers: ((html: string) => void)[] = [];
    const render = vi.fn((body: string) => new Promise<string>((resolve) => resolvers.push(() => resolve(`<p>${body}</p>`))));
    const body = ref("a");
    const scope = effectScope();
    const preview = scope.run(() => usePreview(body, render, 300))!;

    body.value = "ab";
    await nextTick();
    body.value = "abc";
    await nextTick();
    vi.advanceTimersByTime(299);
    expect(render).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(render).toHaveBeenCalledTimes(1);
    expect(render).toHaveBeenLastCalledWith("abc");
    expect(preview.pending.value).toBe(true);

    body.value = "abcd";
    await nextTick();
    vi.advanceTimersByTime(300);
    resolvers[1]("");
    resolvers[0]("");
    await vi.runAllTimersAsync();
    expect(preview.html.value).toBe("<p>abcd</p>");
    expect(preview.pending.value).toBe(false);
    scope.stop();
  });
});
