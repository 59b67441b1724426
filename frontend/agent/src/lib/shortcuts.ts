// Single-key shortcuts: one keydown listener for the whole workspace, and per-page bindings that
// come and go with the page (`useShortcuts({ j: next, k: previous })` in a component's setup).
//
// Every shortcut the workspace has is listed in SHORTCUTS, with the words the overlay (`?`) shows
// for it, so the overlay can teach the ticket page's keys while the agent is still in the inbox.
// Keys typed into a field, or with Ctrl/Cmd/Alt held, are never shortcuts: those belong to the
// field and to the browser (Ctrl/Cmd+Enter to send is the composer's own).
import { onBeforeUnmount, onMounted, shallowRef } from "vue";

export type ShortcutArea = "global" | "inbox" | "ticket";

/** Every shortcut: its key (as `KeyboardEvent.key` names it), where it works, and its words
 * (`shortcuts.actions.<action>` in i18n/areas/shortcuts.ts). */
export const SHORTCUTS = [
  { key: "?", area: "global", action: "help" },
  { key: "j", area: "inbox", action: "next" },
  { key: "k", area: "inbox", action: "previous" },
  { key: "Enter", area: "inbox", action: "open" },
  { key: "x", area: "inbox", action: "select" },
  { key: "/", area: "inbox", action: "search" },
  { key: "r", area: "ticket", action: "reply" },
  { key: "n", area: "ticket", action: "note" },
  { key: "e", area: "ticket", action: "solve" },
] as const satisfies readonly { key: string; area: ShortcutArea; action: string }[];

export type ShortcutKey = (typeof SHORTCUTS)[number]["key"];
export type ShortcutHandlers = Partial<Record<ShortcutKey, (event: KeyboardEvent) => void>>;

// The bindings of the pages now shown, the latest last: a key goes to the latest binding that
// has it (a dialog opened over a page may take `Enter` back from the list below it).
const layers: ShortcutHandlers[] = [];
/** The keys that do something on the current page (the overlay marks the others). */
export const activeKeys = shallowRef<ReadonlySet<string>>(new Set());
let listening = false;

/** Whether the key belongs to what has focus: a text field, a select, an editable area. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || !(target as Element).closest) return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return element.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='combobox'], [role='textbox']") !== null;
}

/** Enter and Space on a button or a link do what the control does, not a shortcut. */
function activatesControl(event: KeyboardEvent): boolean {
  if (event.key !== "Enter" && event.key !== " ") return false;
  const target = event.target as Element | null;
  return Boolean(target?.closest?.("a[href], button, [role='button'], [role='checkbox'], [role='menuitem'], [role='option']"));
}

/** Runs the shortcut for the event, if there is one; true when it did (exported for tests). */
export function dispatch(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false;
  if (isTyping(event.target) || activatesControl(event)) return false;
  for (let index = layers.length - 1; index >= 0; index -= 1) {
    const handler = layers[index][event.key as ShortcutKey];
    if (handler) {
      event.preventDefault();
      handler(event);
      return true;
    }
  }
  return false;
}

function publish(): void {
  activeKeys.value = new Set(layers.flatMap((layer) => Object.keys(layer)));
}

/** Binds the handlers until the returned function is called (outside a component's setup). */
export function bindShortcuts(handlers: ShortcutHandlers): () => void {
  if (!listening && typeof window !== "undefined") {
    window.addEventListener("keydown", dispatch);
    listening = true;
  }
  layers.push(handlers);
  publish();
  return () => {
    const index = layers.indexOf(handlers);
    if (index >= 0) layers.splice(index, 1);
    publish();
  };
}

/** Binds the handlers while the calling component is mounted. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  let unbind: (() => void) | null = null;
  onMounted(() => {
    unbind = bindShortcuts(handlers);
  });
  onBeforeUnmount(() => unbind?.());
}
