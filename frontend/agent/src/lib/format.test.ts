import { describe, expect, it } from "vitest";
import { formatAge, formatDate, formatDuration, formatSize, formatTime } from "./format";

const now = new Date("2026-12-02T06:30:00Z"); // 14:30 in Shanghai
const shanghai = { locale: "en", timeZone: "Asia/Shanghai", now };

describe("formatting for the agent", () => {
  it("shows today's times in the agent's zone, older ones with their day", () => {
    expect(formatTime("2026-12-02T01:05:00Z", shanghai)).toBe("09:05");
    // after midnight in Shanghai, still yesterday (Tuesday) in UTC
    expect(formatTime("2026-12-01T16:30:00Z", shanghai)).toBe("00:30");
    expect(formatTime("2026-12-01T16:30:00Z", { ...shanghai, timeZone: "UTC" })).toBe("Tue 16:30");
    expect(formatTime("2026-11-01T01:05:00Z", shanghai)).toMatch(/Nov.*2026/);
    expect(formatTime("2026-11-01T01:05:00Z", { ...shanghai, locale: "zh-CN" })).toMatch(/2026年11月1日/);
  });

  it("gives a day in the agent's zone, for since-dates", () => {
    expect(formatDate("2026-12-01T16:30:00Z", shanghai)).toBe("Dec 2, 2026");
    expect(formatDate("2026-12-01T16:30:00Z", { ...shanghai, locale: "zh-CN" })).toBe("2026年12月2日");
  });

  it("says how long a customer has waited, briefly", () => {
    expect(formatAge("2026-12-02T06:25:00Z", shanghai)).toBe("5m");
    expect(formatAge("2026-12-02T03:30:00Z", shanghai)).toBe("3h");
    expect(formatAge("2026-11-29T06:30:00Z", shanghai)).toBe("3d");
    expect(formatAge("2026-12-02T03:30:00Z", { ...shanghai, locale: "zh-CN" })).toBe("3小时");
  });

  it("writes call lengths and file sizes", () => {
    expect(formatDuration(247)).toBe("4:07");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatSize(512, "en")).toBe("512 B");
    expect(formatSize(1536, "en")).toBe("1.5 KB");
    expect(formatSize(3 * 1024 * 1024, "de")).toBe("3 MB");
  });
});
