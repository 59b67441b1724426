// The conversation view: a role="log" live region, one element per entry, updated in place so
// that screen readers announce only what is new.
import type { FrameStrings, Locale } from "../../strings";
import type { Entry } from "../conversation";
import { attachmentList, type FetchFile } from "./attachments";
import { h } from "./dom";

export interface MessageList {
  /** The empty-conversation greeting and the log, to place in the page. */
  elements: HTMLElement[];
  render(entries: Entry[], added: Entry[]): void;
  scrollToEnd(): void;
  /** While nobody is online the greeting ("we usually reply within minutes") is not true. */
  setAway(away: boolean): void;
}

const GROUP_MS = 5 * 60 * 1000;
/** How close to the end (px) counts as reading the newest message. */
const NEAR_END = 60;
/** http(s) and www. addresses, ASCII only (so that Chinese text or punctuation right after one is
 * not swallowed); trailing punctuation is trimmed off afterwards (see `trimAddress`). */
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'\u0080-\uffff]+/gi;

export function createMessageList(
  t: FrameStrings,
  locale: Locale,
  onRetry: (clientId: string) => void,
  fetchFile: FetchFile,
): MessageList {
  const empty = h("p", { class: "empty", id: "sd-empty" }, t.empty);
  let away = false;
  let count = 0;
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
    // One group per message for screen readers, named by its author and time.
    const id = "sd-m-" + entry.key.replace(/[^\w-]/g, "");
    const meta = h(
      "div",
      { class: "meta" },
      name &&
        h(
          "span",
          { id: id + "-a", class: grouped || entry.author.kind === "customer" ? "author sr-only" : "author" },
          name,
        ),
      valid &&
        h(
          "time",
          { id: id + "-t", datetime: entry.createdAt, title: dateTime.format(when) },
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
        role: "group",
        "aria-labelledby": [name && id + "-a", valid && id + "-t"].filter(Boolean).join(" ") || undefined,
        "data-key": entry.key,
        "data-id": entry.id === undefined ? undefined : String(entry.id),
      },
      meta,
      h("div", { class: "bubble", dir: "auto" }, ...linkify(entry.body)),
      entry.attachments.length > 0 && attachmentList(entry.attachments, fetchFile),
      status,
    );
  };

  // Whether the visitor is at the newest message: then it stays in view when the log grows or
  // shrinks (an on-screen keyboard opening, the offline form taking its room).
  let pinned = true;
  log.addEventListener("scroll", () => {
    pinned = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_END;
  }, { passive: true });
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(() => {
      if (pinned) list.scrollToEnd();
    }).observe(log);
  }
  const greet = () => (empty.hidden = count > 0 || away);

  const list: MessageList = {
    elements: [empty, log],
    render(entries, added) {
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
      count = entries.length;
      greet();
      if (pinned || added.some((entry) => entry.author.kind === "customer")) list.scrollToEnd();
    },
    scrollToEnd() {
      log.scrollTop = log.scrollHeight;
      pinned = true;
    },
    setAway(value) {
      away = value;
      greet();
    },
  };
  return list;
}

/** Brings `element` to look like `fresh`, touching only the parts that differ, so that the
 * log region does not announce a whole message again when it is only marked as sent. */
function patch(element: HTMLElement, fresh: HTMLElement): void {
  for (const name of ["class", "data-id", "aria-labelledby"]) {
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

/** The body as text nodes, with http(s) and www. addresses as links opening outside the widget. */
function linkify(body: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const address = trimAddress(match[0]);
    if (!/^(?:https?:\/\/|www\.)./i.test(address)) continue;
    if (start > last) nodes.push(document.createTextNode(body.slice(last, start)));
    const href = /^www\./i.test(address) ? "https://" + address : address;
    nodes.push(h("a", { href, target: "_blank", rel: "noopener noreferrer" }, address));
    last = start + address.length;
  }
  if (last < body.length) nodes.push(document.createTextNode(body.slice(last)));
  return nodes;
}

/** Sentence punctuation after an address is not part of it; a closing parenthesis is, when it
 * closes one opened inside the address (`https://en.wikipedia.org/wiki/Tea_(drink)`). */
function trimAddress(address: string): string {
  for (;;) {
    const end = address.slice(-1);
    const unbalanced =
      end === ")" && address.split("(").length < address.split(")").length;
    if (!/[.,;:!?'"\]]/.test(end) && !unbalanced) return address;
    address = address.slice(0, -1);
  }
}
