/** --now ISO: an instant with a time zone (Z or an offset), so that it means one moment everywhere. */
import { UsageError, quote } from './usage.js';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export function parseInstant(value: string, flag = '--now'): Date {
  const m = ISO_INSTANT.exec(value);
  // Date.parse alone takes 2026-02-30 (as March 2) and 24:00: every field is checked against the calendar.
  const valid = m !== null && calendarValid(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) && Number(m[7] ?? 0) <= 23 && Number(m[8] ?? 0) <= 59;
  const time = valid ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new UsageError(`${flag}: expected an ISO 8601 instant with a time zone, such as 2026-11-22T10:00:30Z; got ${quote(value)}`);
  return new Date(time);
}

function calendarValid(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
}
