import { describe, expect, it } from "vitest";
import type { Area } from "./index";
import { browserLocale } from "./index";

// Every area, the first download's and the lazily loaded pages' alike.
const areas = Object.values(import.meta.glob<Area>("./areas/*.ts", { eager: true, import: "default" }));
const messages = {
  en: Object.assign({}, ...areas.map((area) => area.en)),
  "zh-CN": Object.assign({}, ...areas.map((area) => area["zh-CN"])),
};

/** Every key path of a message tree: "common.save", "status.open", ... */
function keys(tree: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === "object" ? keys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the workspace's words", () => {
  it("exist in both English and Simplified Chinese, key for key", () => {
    const en = keys(messages.en).sort();
    const zh = keys(messages["zh-CN"]).sort();
    expect(areas.length).toBeGreaterThan(5);
    expect(zh.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !zh.includes(key))).toEqual([]);
  });

  it("are never left empty", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const empty = keys(messages[locale]).filter((path) => {
        const value = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], messages[locale]);
        return typeof value !== "string" || !value.trim();
      });
      expect(empty, locale).toEqual([]);
    }
  });

  it("never name the same key in two areas", () => {
    const tops = areas.flatMap((area) => Object.keys(area.en));
    expect(tops.filter((key, index) => tops.indexOf(key) !== index)).toEqual([]);
  });

  it("follow the browser when the agent has not chosen", () => {
    expect(browserLocale(["zh-TW", "en"])).toBe("zh-CN");
    expect(browserLocale(["de-DE", "zh-CN"])).toBe("zh-CN");
    expect(browserLocale(["en-GB"])).toBe("en");
    expect(browserLocale(["en-US", "zh-CN"])).toBe("en"); // the first the workspace speaks
    expect(browserLocale(["fr-FR"])).toBe("en");
  });
});
