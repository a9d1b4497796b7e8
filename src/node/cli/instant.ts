/** --now ISO: an instant with a time zone (Z or an offset), so that it means one moment everywhere. */
import { UsageError, quote } from './usage.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: string, flag = '--now'): Date {
  const time = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new UsageError(`${flag}: expected an ISO 8601 instant with a time zone, such as 2026-11-22T10:00:30Z; got ${quote(value)}`);
  return new Date(time);
}
