/**
 * xs:dateTime (XML Schema 1.0 Part 2, 3.2.7) read strictly, with a time zone. `new Date()` is not
 * a validator: it rolls 2026-11-31 over to December 1st and accepts shapes the schema does not, so
 * a validity window could be read other than the IdP wrote it. Every calendar field is checked
 * here (days per month, leap years, hour 24 only as 24:00:00), and the instant is computed from
 * the fields, never by the runtime's date parser.
 */

// Year (4 digits, or more without a leading zero; no year before 0001: no SAML instant is BCE),
// month, day, hour, minute, second, fraction, zone.
const DATE_TIME = /^((?:[1-9]\d{4,}|\d{4}))-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** The instant in milliseconds, or null when `value` is not a valid xs:dateTime with a time zone. */
export function parseDateTime(value: string): number | null {
  const m = DATE_TIME.exec(value);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Year 0000 does not exist in XML Schema 1.0; Date reaches year 275,760.
  if (year === 0 || year > 275_000) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (minute > 59 || second > 59) return null;
  // 24:00:00 is the first instant of the next day, and only with a zero fraction.
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || (fraction !== undefined && /[1-9]/.test(fraction))))) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zm > 59 || zh > 14 || (zh === 14 && zm !== 0)) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  // Milliseconds: further digits are cut (an instant is never moved later than written).
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const instant = date.getTime() - offsetMinutes * 60_000;
  return Number.isFinite(instant) ? instant : null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
