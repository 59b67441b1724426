// Dates, durations and sizes as the agent reads them: in their language and their time zone
// (the session store passes both; tests pass them explicitly).
export interface Clock {
  locale: string;
  timeZone: string;
  now?: Date;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "14:05" today, "Mon 14:05" this week, else "12 Mar 2026, 14:05", in the agent's zone. */
export function formatTime(iso: string, clock: Clock): string {
  const date = new Date(iso);
  const now = clock.now ?? new Date();
  const age = now.getTime() - date.getTime();
  const base = { timeZone: clock.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
  const sameDay = dayKey(date, clock.timeZone) === dayKey(now, clock.timeZone);
  if (sameDay) return new Intl.DateTimeFormat(clock.locale, base).format(date);
  if (age >= 0 && age < 6 * DAY) {
    return new Intl.DateTimeFormat(clock.locale, { ...base, weekday: "short" }).format(date);
  }
  return new Intl.DateTimeFormat(clock.locale, { ...base, year: "numeric", month: "short", day: "numeric" }).format(date);
}

/** The full date and time, for a tooltip: "Wednesday, 2 December 2026 at 14:05:09 GMT+8". */
export function formatFullTime(iso: string, clock: Clock): string {
  return new Intl.DateTimeFormat(clock.locale, {
    timeZone: clock.timeZone,
    dateStyle: "full",
    timeStyle: "long",
  }).format(new Date(iso));
}

/** A day, for "since" dates: "12 Mar 2026" / "2026年3月12日", in the agent's zone. */
export function formatDate(iso: string, clock: Clock): string {
  return new Intl.DateTimeFormat(clock.locale, { timeZone: clock.timeZone, dateStyle: "medium" }).format(new Date(iso));
}

/** How long since: "now", "5 min", "3 h", "2 d" (narrow, for dense rows), in the agent's language. */
export function formatAge(iso: string, clock: Clock): string {
  const age = Math.max(0, (clock.now ?? new Date()).getTime() - new Date(iso).getTime());
  const unit = (value: number, name: "minute" | "hour" | "day") =>
    new Intl.NumberFormat(clock.locale, { style: "unit", unit: name, unitDisplay: "narrow" }).format(value);
  if (age < MINUTE) return new Intl.RelativeTimeFormat(clock.locale, { numeric: "auto" }).format(0, "second");
  if (age < HOUR) return unit(Math.floor(age / MINUTE), "minute");
  if (age < DAY) return unit(Math.floor(age / HOUR), "hour");
  return unit(Math.floor(age / DAY), "day");
}

/** A call's length: "4:07", or "1:02:03" past an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const [h, m, sec] = parts;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** "512 B", "1.2 KB", "3.4 MB", with the locale's decimal mark. */
export function formatSize(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let index = 0;
  while (value >= 1024 && index < units.length - 1) {
    value /= 1024;
    index += 1;
  }
  const digits = index === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[index]}`;
}

function dayKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}
