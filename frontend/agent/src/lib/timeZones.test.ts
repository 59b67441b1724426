import { describe, expect, it } from "vitest";
import { timeZoneOptions, utcOffset } from "./timeZones";

const WINTER = new Date("2026-01-15T12:00:00Z");
const SUMMER = new Date("2026-07-15T12:00:00Z");

describe("utcOffset", () => {
  it("says the offset now, daylight saving included", () => {
    expect(utcOffset("Asia/Shanghai", WINTER)).toBe("UTC+08:00");
    expect(utcOffset("Europe/Berlin", WINTER)).toBe("UTC+01:00");
    expect(utcOffset("Europe/Berlin", SUMMER)).toBe("UTC+02:00");
    expect(utcOffset("America/St_Johns", WINTER)).toBe("UTC-03:30");
    expect(utcOffset("UTC", WINTER)).toBe("UTC+00:00");
  });
});

describe("timeZoneOptions", () => {
  it("lists the zones by name with their offset, readable", () => {
    const options = timeZoneOptions("UTC", WINTER, ["Europe/Berlin", "America/New_York"]);

    expect(options).toEqual([
      { value: "America/New_York", label: "America/New York · UTC-05:00" },
      { value: "Europe/Berlin", label: "Europe/Berlin · UTC+01:00" },
      { value: "UTC", label: "UTC · UTC+00:00" },
    ]);
  });

  it("keeps the agent's zone even when the browser does not list it, and drops what it cannot show", () => {
    const values = timeZoneOptions("Asia/Calcutta", WINTER, ["Asia/Kolkata", "Not/AZone"]).map((o) => o.value);

    expect(values).toEqual(["Asia/Calcutta", "Asia/Kolkata", "UTC"]);
  });
});
