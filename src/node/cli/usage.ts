/**
 * Exit codes of the saml-core command line, and the error for bad usage or unreadable input.
 * A UsageError ends the command with exit code 2 and its message, one line, on stderr.
 */

/** Accepted (check), every verdict as expected (conformance), or the command did its work. */
export const EXIT_OK = 0;
/** Rejected (check), or a conformance verdict differing from the vector's `expect`. */
export const EXIT_REJECTED = 1;
/** Bad usage or unreadable input: nothing was judged. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A value of the user's, quoted for a message: JSON-quoted and cut (a path or a flag value can be anything). */
export function quote(value: string, max = 120): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut).replace(/[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What a JSON value is, for "expected X; got Y" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${quote(value, 60)}`;
  if (typeof value === 'object') return `an object with keys ${quote(Object.keys(value).join(', '), 80)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : typeof value} ${String(value)}`;
}
