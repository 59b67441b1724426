// A tiny element builder, so that each view reads as its markup.

type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

/** `h("button", {type: "button", class: "x", onclick: f}, "Text")`. `on*` props are listeners;
 * `true` sets an empty attribute, `false`/`undefined` leaves it out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A labelled form control: `<div class="field"><label for=id>…</label>control</div>`. */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement): HTMLDivElement {
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}

/** An alert line for a form's refusal; `say(text)` shows it, `say(null)` hides it. */
export function alertLine(id: string): HTMLParagraphElement & { say(text: string | null): void } {
  const line = Object.assign(h("p", { id, class: "error", role: "alert", hidden: true }), {
    say(text: string | null) {
      line.textContent = text || "";
      line.hidden = !text;
      // In a form taller than its room the line may be out of sight, under the sticky buttons.
      if (text) line.scrollIntoView({ block: "nearest" });
    },
  });
  return line;
}

/** Disables the form's buttons until `work` settles (no double submits), then passes it on. */
export function whileBusy<T>(form: HTMLFormElement, work: Promise<T>): Promise<T> {
  const buttons = Array.from(form.querySelectorAll("button"));
  buttons.forEach((button) => (button.disabled = true));
  form.setAttribute("aria-busy", "true");
  const done = () => {
    buttons.forEach((button) => (button.disabled = false));
    form.removeAttribute("aria-busy");
  };
  work.then(done, done);
  return work;
}

/** A panel over the composer (transcript, e-mail): a labelled region with its heading. */
export function sheet(id: string, title: string, ...children: Child[]): HTMLElement {
  return h(
    "section",
    { id, class: "sheet", "aria-labelledby": id + "-title", hidden: true },
    h("h2", { id: id + "-title" }, title),
    ...children,
  );
}

export function input(id: string, name: string, props: Props = {}): HTMLInputElement {
  return h("input", { id, name, type: "text", ...props });
}
