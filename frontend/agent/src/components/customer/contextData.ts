// How an integration's JSON becomes a readable card: keys become labels, a list of like objects
// becomes a small table, a list of plain values a list; only what is nested too deep for that
// is shown as JSON.

export type Shape =
  | { kind: "empty" }
  | { kind: "scalar"; text: string }
  | { kind: "list"; items: unknown[] }
  | { kind: "table"; columns: string[]; rows: Record<string, unknown>[] }
  | { kind: "fields"; entries: [string, unknown][] }
  | { kind: "json"; text: string };

/** Deeper than this, a card shows the rest as JSON rather than nesting tables in tables. */
export const MAX_DEPTH = 3;

/** "order_id", "orderId", "order-id" → "Order id". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

function isPlain(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function shapeOf(value: unknown, depth = 0): Shape {
  if (value === null || value === undefined || value === "") return { kind: "empty" };
  if (isPlain(value)) return { kind: "scalar", text: String(value) };
  if (depth >= MAX_DEPTH) return { kind: "json", text: JSON.stringify(value, null, 2) };
  if (Array.isArray(value)) {
    if (!value.length) return { kind: "empty" };
    if (value.every(isPlain)) return { kind: "list", items: value };
    // A table when every row is an object of plain values (orders, devices, invoices).
    if (value.every((row) => isRecord(row) && Object.values(row).every(isPlain))) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row as object)))];
      return { kind: "table", columns, rows: value as Record<string, unknown>[] };
    }
    return { kind: "list", items: value };
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    return entries.length ? { kind: "fields", entries } : { kind: "empty" };
  }
  return { kind: "scalar", text: String(value) };
}
