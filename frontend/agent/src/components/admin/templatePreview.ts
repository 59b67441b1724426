// The e-mail template editor's live preview: each `{{ variable }}` filled with a sample value,
// in the browser. It previews the wording, not Jinja: a filter or block the desk would run
// is shown as written (the desk checks the template for real when it is saved).
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** How a variable is written in a template: `{{ name }}` (kept out of Vue's templates, where `}}` ends an expression). */
export function placeholder(name: string): string {
  return `{{ ${name} }}`;
}
