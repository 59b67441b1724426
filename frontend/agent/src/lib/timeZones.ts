// The time zones an agent picks from: every IANA name the browser knows, each with its offset
// from UTC now ("Asia/Shanghai · UTC+08:00"), so "Shanghai" and "+08" both find it.

// a type, not an interface: Naive UI's options take any object with string keys
export type TimeZoneOption = { value: string; label: string };

/** The zone's offset from UTC at `at`, as "UTC+08:00" (engines write none as "GMT" or "GMT+00:00"). */
export function utcOffset(timeZone: string, at: Date): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return !part || part === "GMT" ? "UTC+00:00" : part.replace("GMT", "UTC");
}

/** Every zone the browser knows, by name; `current` and UTC are always among them. */
export function timeZoneOptions(current: string, at: Date = new Date(), known: readonly string[] = Intl.supportedValuesOf("timeZone")): TimeZoneOption[] {
  const names = [...new Set([...known, "UTC", current])].sort();
  return names.flatMap((value) => {
    try {
      return [{ value, label: `${value.replaceAll("_", " ")} · ${utcOffset(value, at)}` }];
    } catch {
      return []; // a name this browser cannot format (an old alias) is no choice at all
    }
  });
}
