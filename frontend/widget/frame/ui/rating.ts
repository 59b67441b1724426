// "Was this helpful?" under an article in the frame. A No is saved at once (the visitor may say
// no more), then asks what they were looking for: the comment goes with a second No, which
// replaces the first; a Yes later replaces both and clears the comment. Each article's answer is
// kept for the visit, so that reopening an article shows it and a second No does not post again
// without the comment.
import type { FrameStrings } from "../../strings";
import { vote } from "../kb";
import { alertLine, field, h, whileBusy } from "./dom";

/** What the visitor answered for one article in this visit. */
export interface Answer {
  helpful: boolean;
  /** What they were looking for, as the desk has it (a No only). */
  comment: string;
  /** The comment box was sent (or passed over): it stays closed until No is pressed again. */
  done: boolean;
}

export interface Rating {
  element: HTMLElement;
  /** Shows the rating for this article (as this visit left it), or hides it (null). */
  show(articleId: number | null): void;
  /** The answer given to the article shown, if any. */
  answer(): Answer | undefined;
}

/** The desk's limit (knowledge.feedback.COMMENT_MAX). */
const COMMENT_MAX = 2000;

export function createRating(t: FrameStrings, token: () => string | undefined): Rating {
  const yes = h("button", { id: "sd-article-yes", type: "button", "aria-pressed": "false" }, t.yes);
  const no = h("button", { id: "sd-article-no", type: "button", "aria-pressed": "false" }, t.no);
  const voted = h("p", { id: "sd-article-voted", class: "voted", role: "status", tabindex: -1 });
  const comment = h("textarea", {
    id: "sd-article-comment",
    name: "comment",
    rows: 3,
    dir: "auto",
    maxlength: COMMENT_MAX,
  });
  const failed = alertLine("sd-article-comment-error");
  const form = h(
    "form",
    { id: "sd-article-feedback", class: "form feedback", hidden: true },
    field(t.commentLabel, comment),
    failed,
    h("div", { class: "actions" }, h("button", { id: "sd-article-comment-send", type: "submit", class: "primary" }, t.send)),
  );
  const element = h(
    "div",
    { id: "sd-article-rating", class: "rating", role: "group", "aria-labelledby": "sd-article-question", hidden: true },
    h("p", { id: "sd-article-question" }, t.helpfulQuestion),
    h("div", { class: "actions" }, yes, no),
    voted,
    form,
  );

  const answers = new Map<number, Answer>();
  let shown: number | null = null;
  let busy = false;

  const render = () => {
    const given = shown === null ? undefined : answers.get(shown);
    yes.setAttribute("aria-pressed", String(given?.helpful === true));
    no.setAttribute("aria-pressed", String(given?.helpful === false));
    form.hidden = !given || given.helpful || given.done;
    const thanked = !!given && !given.helpful && given.done && !!given.comment;
    voted.classList.toggle("notice", thanked);
    if (!given) voted.textContent = "";
    else if (given.helpful) voted.textContent = t.votedYes;
    else voted.textContent = thanked ? t.commentThanks : t.votedNo;
  };

  const answer = (helpful: boolean) => {
    const id = shown;
    if (id === null) return;
    const given = answers.get(id);
    if (given && given.helpful === helpful) {
      // Already said: a No opens its comment box again (to add to it), nothing is posted.
      if (!helpful) {
        given.done = false;
        render();
        comment.focus();
      }
      return;
    }
    if (busy) return; // one answer at a time (the buttons stay enabled: focus stays on them)
    busy = true;
    vote(id, helpful, token())
      .then(
        () => {
          answers.set(id, { helpful, comment: "", done: false });
          failed.say(null);
          if (id !== shown) return;
          render();
          if (!helpful) comment.focus();
        },
        () => id === shown && (voted.textContent = t.voteFailed),
      )
      .finally(() => (busy = false));
  };
  yes.addEventListener("click", () => answer(true));
  no.addEventListener("click", () => answer(false));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = shown;
    const given = id === null ? undefined : answers.get(id);
    if (id === null || !given || given.helpful) return;
    const text = comment.value.trim();
    const finish = () => {
      Object.assign(given, { comment: text, done: true });
      if (id !== shown) return;
      render();
      voted.focus(); // the thanks; the next stop is "Chat with us"
    };
    if (text === given.comment) return finish(); // nothing new to say (or nothing at all)
    failed.say(null);
    whileBusy(form, vote(id, false, token(), text)).then(finish, () => failed.say(t.commentFailed));
  });

  return {
    element,
    show(articleId) {
      shown = articleId;
      element.hidden = articleId === null;
      const given = articleId === null ? undefined : answers.get(articleId);
      comment.value = given?.comment || "";
      failed.say(null);
      render();
    },
    answer: () => (shown === null ? undefined : answers.get(shown)),
  };
}
