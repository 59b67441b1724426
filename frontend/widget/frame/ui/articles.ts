// Before a chat starts: while the visitor writes their first message, up to three articles that
// may answer it, above the composer; one opens in the frame (its text, "Was this helpful?", and
// back to the chat), so the visitor may find the answer without waiting for anyone.
import type { FrameStrings } from "../../strings";
import { article, sanitized, suggest, type Suggestion } from "../kb";
import { h } from "./dom";
import { createRating } from "./rating";

const DELAY_MS = 200;
const SHOWN = 3;
/** Fewer characters than this suggest nothing (two already make a Chinese word: 退款). */
const MIN_LENGTH = 2;

export interface Articles {
  /** The suggestions (goes above the composer) and the reader (takes the frame's body). */
  list: HTMLElement;
  reader: HTMLElement;
  /** The composer's text changed; `enabled` is false once a conversation has begun. */
  typed(text: string, enabled: boolean): void;
  reading(): boolean;
  /** Back from the reader to the suggestions (Escape). */
  back(): void;
}

export function createArticles(
  t: FrameStrings,
  locale: string,
  token: () => string | undefined,
  onChange: () => void,
  /** To the chat; `about` is the title of the article the visitor said No to. */
  onChat: (about?: string) => void,
): Articles {
  const items = h("ul", { id: "sd-suggestions-list", class: "suggestions" });
  const list = h(
    "section",
    { id: "sd-suggestions", "aria-labelledby": "sd-suggestions-title", hidden: true },
    h("h2", { id: "sd-suggestions-title", class: "suggestions-title" }, t.suggested),
    items,
  );

  const title = h("h2", { id: "sd-article-title", tabindex: -1 });
  const body = h("div", { id: "sd-article-body", class: "article-body", dir: "auto" });
  const failed = h("p", { id: "sd-article-error", class: "error", role: "alert", hidden: true });
  const rating = createRating(t, token);
  const backButton = h("button", { id: "sd-article-back", type: "button", class: "link" }, "← " + t.back);
  const chat = h("button", { id: "sd-article-chat", type: "button", class: "primary" }, t.chatWithUs);
  const reader = h(
    "section",
    { id: "sd-article", class: "article", "aria-labelledby": "sd-article-title", hidden: true },
    h("div", { class: "article-scroll" }, backButton, title, failed, body, rating.element),
    h("div", { class: "article-help" }, h("p", {}, t.stillNeedHelp), chat),
  );

  let timer = 0;
  let generation = 0;
  let opener: HTMLElement | null = null;

  const show = (found: Suggestion[]) => {
    items.replaceChildren(
      ...found.slice(0, SHOWN).map((suggestion) => {
        const link = h("button", { type: "button", class: "suggestion" }, suggestion.title);
        link.addEventListener("click", () => read(suggestion, link));
        return h("li", {}, link);
      }),
    );
    list.hidden = !items.children.length;
  };

  const read = (suggestion: Suggestion, from: HTMLElement) => {
    const mine = ++generation; // no suggestions land while reading
    opener = from;
    title.textContent = suggestion.title;
    body.replaceChildren();
    failed.hidden = true;
    rating.show(null);
    reader.hidden = false;
    onChange();
    title.focus();
    article(suggestion, token()).then(
      (found) => {
        if (mine !== generation) return;
        title.textContent = found.title;
        body.replaceChildren(sanitized(found.body_html || ""));
        rating.show(found.id);
      },
      () => {
        if (mine !== generation) return;
        failed.textContent = t.articleFailed;
        failed.hidden = false;
      },
    );
  };

  const close = () => {
    generation++;
    reader.hidden = true;
    onChange();
  };
  const back = () => {
    close();
    if (opener && opener.isConnected) opener.focus();
    else onChat();
  };
  backButton.addEventListener("click", back);
  chat.addEventListener("click", () => {
    const said = rating.answer();
    const about = said && !said.helpful ? title.textContent || undefined : undefined;
    close();
    onChat(about);
  });

  return {
    list,
    reader,
    typed(text, enabled) {
      clearTimeout(timer);
      const q = text.trim();
      if (!enabled || q.length < MIN_LENGTH) {
        generation++;
        show([]);
        return;
      }
      timer = window.setTimeout(() => {
        const mine = ++generation;
        suggest(q, locale, token()).then(
          (found) => mine === generation && show(found),
          () => mine === generation && show([]),
        );
      }, DELAY_MS);
    },
    reading: () => !reader.hidden,
    back,
  };
}
