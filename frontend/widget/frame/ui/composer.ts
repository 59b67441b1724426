// Where the visitor writes: Enter sends, Shift+Enter breaks the line, the desk's refusals show
// right above it, and typing is reported (start, every few seconds, stop).
import type { FrameStrings } from "../../strings";
import { alertLine, h } from "./dom";

export interface Composer {
  element: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  showProblem(text: string | null): void;
  /** The desk's limit (from `session`): typing stops there, and the count shows near it. */
  setMaxLength(limit: number): void;
  /** Puts words in for the visitor to finish (not sent, no typing reported). */
  prefill(text: string): void;
}

const IDLE_MS = 4000;
/** The characters-left count shows from this close to the limit. */
const COUNT_FROM = 200;
const REPEAT_MS = 5000;
const SEND_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 20.5 21 12 3 3.5V10l12 2-12 2z"/></svg>';

export function createComposer(
  t: FrameStrings,
  onSend: (body: string) => void,
  onTyping: (typing: boolean) => void,
): Composer {
  const problem = alertLine("sd-problem");
  const hint = h("span", { id: "sd-composer-hint", class: "sr-only" }, t.composerHint);
  const textarea = h("textarea", {
    id: "sd-composer",
    name: "body",
    rows: 1,
    dir: "auto",
    placeholder: t.composer,
    "aria-label": t.composer,
    "aria-describedby": "sd-composer-hint sd-problem",
  });
  const left = h("span", { id: "sd-composer-left", class: "left", "aria-live": "polite", hidden: true });
  const send = h("button", { id: "sd-send", type: "submit", class: "send", "aria-label": t.send, title: t.send });
  send.innerHTML = SEND_ICON;
  const form = h("form", { id: "sd-composer-form", class: "composer" }, problem, hint, left, h("div", { class: "row" }, textarea, send));

  let typingSince = 0;
  let idle = 0;
  const stopTyping = () => {
    clearTimeout(idle);
    if (typingSince) onTyping(false);
    typingSince = 0;
  };
  const grow = () => {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight, 120) + "px";
    const remaining = textarea.maxLength > 0 ? textarea.maxLength - textarea.value.length : Infinity;
    left.hidden = remaining > COUNT_FROM;
    left.textContent = left.hidden ? "" : t.charactersLeft(remaining);
  };
  const submit = () => {
    const body = textarea.value.trim();
    if (!body) return;
    onSend(body);
    stopTyping();
    textarea.value = "";
    grow();
    textarea.focus();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  textarea.addEventListener("keydown", (event) => {
    // isComposing / 229: Enter that confirms an IME candidate (pinyin) must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener("input", () => {
    grow();
    clearTimeout(idle);
    if (!textarea.value.trim()) return stopTyping();
    if (Date.now() - typingSince > REPEAT_MS) {
      typingSince = Date.now();
      onTyping(true);
    }
    idle = window.setTimeout(stopTyping, IDLE_MS);
  });
  textarea.addEventListener("blur", stopTyping);

  const setMaxLength = (limit: number) => {
    textarea.maxLength = limit;
    grow();
  };
  const prefill = (text: string) => {
    textarea.value = textarea.maxLength > 0 ? text.slice(0, textarea.maxLength) : text;
    grow();
  };
  return { element: form, textarea, showProblem: problem.say, setMaxLength, prefill };
}
