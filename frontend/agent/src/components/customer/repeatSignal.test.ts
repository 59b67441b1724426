import { describe, expect, it } from "vitest";
import { ordinal, repeatHeadline } from "./repeatSignal";
import { translator } from "./testing";

const en = translator("en").t;
const zh = translator("zh-CN").t;

describe("ordinal", () => {
  it("gives English ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map((n) => ordinal(n, "en"))).toEqual([
      "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
    ]);
  });

  it("leaves the number bare in Chinese, where 第 makes it an ordinal", () => {
    expect(ordinal(3, "zh-CN")).toBe("3");
  });
});

describe("repeatHeadline", () => {
  const repeat = { count: 3, days: 7, channels: ["email", "phone"] as ("email" | "phone")[] };

  it("says the count, the window and the channels in English", () => {
    expect(repeatHeadline(repeat, "en", en)).toBe("3rd contact in 7 days, on 2 channels");
  });

  it("says it naturally in Chinese", () => {
    expect(repeatHeadline(repeat, "zh-CN", zh)).toBe("7 天内第 3 次联系，涉及 2 个渠道");
  });

  it("names the one channel rather than counting it", () => {
    const once = { count: 2, days: 7, channels: ["email"] as "email"[] };
    expect(repeatHeadline(once, "en", en)).toBe("2nd contact in 7 days, all by e-mail");
    expect(repeatHeadline(once, "zh-CN", zh)).toBe("7 天内第 2 次联系，均通过邮件");
  });
});
