// "Alice is typing…" with three dots, while an agent types (hidden again if the stop is lost).
import type { FrameStrings } from "../../strings";
import { h } from "./dom";

const STALE_MS = 10000;

export function createTypingIndicator(t: FrameStrings) {
  const text = h("span", { class: "typing-text" });
  const element = h(
    "div",
    { id: "sd-typing", class: "typing", role: "status", hidden: true },
    h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
    text,
  );
  let stale = 0;
  const set = (typing: boolean, name?: string) => {
    clearTimeout(stale);
    element.hidden = !typing;
    text.textContent = typing ? t.typing(name || t.agent) : "";
    if (typing) stale = window.setTimeout(() => set(false), STALE_MS);
  };
  return { element, set };
}
