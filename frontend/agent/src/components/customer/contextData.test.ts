import { describe, expect, it } from "vitest";
import { MAX_DEPTH, labelOf, shapeOf } from "./contextData";

describe("labelOf", () => {
  it("turns keys into labels", () => {
    expect(labelOf("order_id")).toBe("Order id");
    expect(labelOf("lastOrderAt")).toBe("Last order at");
    expect(labelOf("plan-tier")).toBe("Plan tier");
    expect(labelOf("套餐")).toBe("套餐");
  });
});

describe("shapeOf", () => {
  it("shows plain values as text and blanks as empty", () => {
    expect(shapeOf("Pro")).toEqual({ kind: "scalar", text: "Pro" });
    expect(shapeOf(true)).toEqual({ kind: "scalar", text: "true" });
    expect(shapeOf(null)).toEqual({ kind: "empty" });
    expect(shapeOf([])).toEqual({ kind: "empty" });
  });

  it("shows a list of like objects as a table with every column", () => {
    const orders = [{ id: "A1", total: 12 }, { id: "A2", status: "shipped" }];
    expect(shapeOf(orders)).toEqual({ kind: "table", columns: ["id", "total", "status"], rows: orders });
  });

  it("shows an object as labelled fields and a list of values as a list", () => {
    expect(shapeOf({ plan: "Pro" })).toEqual({ kind: "fields", entries: [["plan", "Pro"]] });
    expect(shapeOf(["a", "b"])).toEqual({ kind: "list", items: ["a", "b"] });
  });

  it("falls back to JSON only past the depth a card can nest", () => {
    const deep = { a: { b: { c: { d: 1 } } } };
    expect(shapeOf(deep.a.b, MAX_DEPTH).kind).toBe("json");
    expect(shapeOf(deep).kind).toBe("fields");
  });
});
