/**
 * The one error type of saml-core. Every failure of every public function is a SamlError with a
 * stable `code`; callers branch on the code, people read the message (what was expected, what came)
 * and the hint (which IdP or SP setting to change).
 */

export const ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_XML',
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'ALGORITHM_NOT_ALLOWED',
  'STATUS_NOT_SUCCESS',
  'ISSUER_MISMATCH',
  'DESTINATION_MISMATCH',
  'RECIPIENT_MISMATCH',
  'IN_RESPONSE_TO_MISMATCH',
  'UNSOLICITED_RESPONSE',
  'AUDIENCE_MISMATCH',
  'NAMEID_FORMAT_MISMATCH',
  'NAMEID_INVALID',
  'EXPIRED',
  'NOT_YET_VALID',
  'REPLAYED',
  'INVALID_ASSERTION',
  'ENCRYPTED_ASSERTION_UNSUPPORTED',
  'CONFIG_INVALID',
  'REPLAY_STORE_FAILED',
] as const;

export type SamlErrorCode = (typeof ERROR_CODES)[number];

export class SamlError extends Error {
  readonly code: SamlErrorCode;
  readonly hint?: string;

  constructor(code: SamlErrorCode, message: string, hint?: string) {
    super(hint ? `${message} ${hint}` : message);
    this.name = 'SamlError';
    this.code = code;
    if (hint !== undefined) this.hint = hint;
  }
}

/** The longest quoted value in a message, in UTF-16 units; the rest is cut (and said to be). */
const SHOW_MAX = 200;
// After JSON quoting (which escapes C0 controls, quotes and backslashes): every other control,
// format (bidi overrides, zero-width), line/paragraph separator, non-ASCII space, surrogate,
// private-use and unassigned character is shown as an escape, so a message can't hide or reorder text.
const UNSAFE = /(?! )[\p{C}\p{Z}]/gu;

/**
 * Quote a value for an error message: JSON-quoted, cut to a readable length, every invisible or
 * reordering character escaped. Every value that comes from a document goes through here: a
 * message may be logged or shown to an admin, and the document's text is attacker-controlled.
 */
export function show(value: string | null | undefined): string {
  if (value === null || value === undefined) return '(none)';
  let cut = value;
  if (value.length > SHOW_MAX) {
    const end = /[\ud800-\udbff]/.test(value.charAt(SHOW_MAX - 1)) ? SHOW_MAX - 1 : SHOW_MAX;
    cut = value.slice(0, end);
  }
  const quoted = JSON.stringify(cut).replace(UNSAFE, escapeCodePoint);
  return cut === value ? quoted : `${quoted}… (${value.length} characters in all)`;
}

function escapeCodePoint(c: string): string {
  const code = c.codePointAt(0) as number;
  return code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
