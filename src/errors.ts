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

/** Quote a value for an error message, cut to a readable length. */
export function show(value: string | null | undefined): string {
  if (value === null || value === undefined) return '(none)';
  const cut = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return JSON.stringify(cut);
}
