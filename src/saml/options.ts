/** What the builders' option checks share (createAuthnRequest, createSpMetadata). */
import { show } from '../errors.js';

/**
 * A valid Date whose toISOString is an xs:dateTime: years 0001 to 9999 (XML Schema 1.0 has no year
 * 0000, and no room for toISOString's six-digit years). A tag check rather than instanceof, so that a
 * Date from another realm (vm, iframe) passes.
 */
export function isXsdDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime()) && /^(?!0000)\d{4}-/.test((value as Date).toISOString());
}

/** An option's value as an error message quotes it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return show(value);
  if (value === null || value === undefined) return String(value);
  if (Object.prototype.toString.call(value) === '[object Date]') return 'an invalid or out-of-range Date';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
