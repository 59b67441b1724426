// The conversation view: a role="log" live region, one element per entry, updated in place so
// that screen readers announce only what is new.
import type { FrameStrings, Locale } from "../../strings";
import type { Entry } from "../conversation";
import { h } from "./dom";

export interface MessageList {
  /** The empty-conversation greeting and the log, to place in the page. */
  elements: HTMLElement[];
  render(entries: Entry[], added: Entry[]): void;
  scrollToEnd(): void;
}

const GROUP_MS = 5 * 60 * 1000;
const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function createMessageList(
  t: FrameStrings,
  locale: Locale,
  onRetry: (clientId: string) => void,
): MessageList {
  const empty = h("p", { class: "empty", id: "sd-empty" }, t.empty);
  // The log scrolls itself; tabindex lets keyboard users scroll it too.
  const log = h("div", {
    id: "sd-messages",
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-label": t.conversation,
    tabindex: 0,
  });
  const elements = new Map<string, { element: HTMLElement; signature: string }>();
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const dayTime = new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

  const authorName = (entry: Entry) =>
    entry.author.kind === "customer" ? t.you : entry.author.name || (entry.author.kind === "agent" ? t.agent : "");

  const build = (entry: Entry, grouped: boolean): HTMLElement => {
    const when = new Date(entry.createdAt);
    const valid = !isNaN(when.getTime());
    const today = valid && when.toDateString() === new Date().toDateString();
    const name = authorName(entry);
    const meta = h(
      "div",
      { class: "meta" },
      name && h("span", { class: grouped || entry.author.kind === "customer" ? "author sr-only" : "author" }, name),
      valid &&
        h(
          "time",
          { datetime: entry.createdAt, title: dateTime.format(when) },
          (today ? time : dayTime).format(when),
        ),
    );
    const status =
      entry.state === "pending"
        ? h("div", { class: "state" }, t.sending)
        : entry.state === "failed"
          ? h(
              "div",
              { class: "state state--failed" },
              t.notSent + " ",
              h("button", { type: "button", class: "link", onclick: () => onRetry(entry.clientId!) }, t.retry),
            )
          : null;
    return h(
      "div",
      {
        class: `msg msg--${entry.author.kind} is-${entry.state}`,
        "data-key": entry.key,
        "data-id": entry.id === undefined ? undefined : String(entry.id),
      },
      meta,
      h("div", { class: "bubble" }, ...linkify(entry.body)),
      status,
    );
  };

  const list: MessageList = {
    elements: [empty, log],
    render(entries, added) {
      const nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
      const keep = new Set<string>();
      let previous: Entry | undefined;
      let previousElement: Element | null = null;
      for (const entry of entries) {
        const grouped =
          !!previous &&
          previous.author.kind === entry.author.kind &&
          previous.author.name === entry.author.name &&
          Date.parse(entry.createdAt) - Date.parse(previous.createdAt) < GROUP_MS;
        const signature = [entry.state, entry.id, entry.createdAt, entry.body, grouped].join("\u0000");
        let known = elements.get(entry.key);
        if (!known || known.signature !== signature) {
          const element = build(entry, grouped);
          if (known) patch(known.element, element);
          known = { element: known ? known.element : element, signature };
          elements.set(entry.key, known);
        }
        const expected: Element | null = previousElement ? previousElement.nextElementSibling : log.firstElementChild;
        if (expected !== known.element) log.insertBefore(known.element, expected);
        keep.add(entry.key);
        previous = entry;
        previousElement = known.element;
      }
      for (const [key, known] of elements) {
        if (!keep.has(key)) {
          known.element.remove();
          elements.delete(key);
        }
      }
      empty.hidden = entries.length > 0;
      if (nearEnd || added.some((entry) => entry.author.kind === "customer")) list.scrollToEnd();
    },
    scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    },
  };
  return list;
}

/** Brings `element` to look like `fresh`, touching only the parts that differ, so that the
 * log region does not announce a whole message again when it is only marked as sent. */
function patch(element: HTMLElement, fresh: HTMLElement): void {
  for (const name of ["class", "data-id"]) {
    const value = fresh.getAttribute(name);
    if (value === null) element.removeAttribute(name);
    else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  const old = Array.from(element.children);
  const wanted = Array.from(fresh.children);
  wanted.forEach((child, i) => {
    if (!old[i]) element.append(child);
    else if (old[i].outerHTML !== child.outerHTML) old[i].replaceWith(child);
  });
  old.slice(wanted.length).forEach((child) => child.remove());
}

/** The body as text nodes, with http(s) addresses as links opening outside the widget. */
function linkify(body: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) nodes.push(document.createTextNode(body.slice(last, start)));
    nodes.push(h("a", { href: match[0], target: "_blank", rel: "noopener noreferrer" }, match[0]));
    last = start + match[0].length;
  }
  if (last < body.length) nodes.push(document.createTextNode(body.slice(last)));
  return nodes;
}
