// `--since` values: a date (local midnight), a full ISO timestamp, `today`, or an age such as `7d`,
// `12h`, `30m`. Pure: "now" comes from the caller.

const AGE = /^(\d+)\s*([dhm])$/;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type SinceResult = { ok: true; since: Date } | { ok: false; message: string };

function localMidnight(year: number, monthIndex: number, day: number): Date {
  return new Date(year, monthIndex, day, 0, 0, 0, 0);
}

export function parseSince(text: string, now: Date): SinceResult {
  const value = text.trim().toLowerCase();
  if (value === 'today') return { ok: true, since: localMidnight(now.getFullYear(), now.getMonth(), now.getDate()) };
  const age = AGE.exec(value);
  if (age) return { ok: true, since: new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2]]) };
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const since = localMidnight(year, month - 1, day);
    // Date rolls 2026-02-31 over into March; a date that does not exist is a typo.
    if (since.getMonth() === month - 1 && since.getDate() === day) return { ok: true, since };
  } else if (/^\d{4}-\d{2}-\d{2}t/.test(value)) {
    const since = new Date(text.trim());
    if (!Number.isNaN(since.getTime())) return { ok: true, since };
  }
  return { ok: false, message: `--since "${text}" is not a date (2026-11-01), a timestamp (2026-11-01T09:00:00Z), today, or an age (7d, 12h, 30m)` };
}
