/**
 * The one error type of saml-core. Every failure of every public function is a SamlError with a
 * stable `code`; callers branch on the code, people read the message (what was expected, what came)
 * and, apart from it, the hint (which IdP or SP setting to change).
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
  'DECRYPTION_FAILED',
  'CONFIG_INVALID',
  'REPLAY_STORE_FAILED',
  'METADATA_INVALID',
  'METADATA_EXPIRED',
] as const;

export type SamlErrorCode = (typeof ERROR_CODES)[number];

/** The IdPs whose own setting names a hint can give alone, recognised from the issuer. */
export type IdpKind = 'okta' | 'entra';

/** A hint naming the setting at each IdP; when the IdP is known, only its own setting is named. */
export interface IdpHint {
  generic: string;
  okta: string;
  entra: string;
}

/**
 * `lead` (okta: X; Microsoft Entra ID: Y) `tail`: one hint, written once per IdP. Unknown IdPs get
 * both names.
 */
export function idpHint(lead: string, okta: string, entra: string, tail = ''): IdpHint {
  return {
    generic: `${lead} (Okta: ${okta}; Microsoft Entra ID: ${entra})${tail}`,
    okta: `${lead} (Okta: ${okta})${tail}`,
    entra: `${lead} (Microsoft Entra ID: ${entra})${tail}`,
  };
}

export class SamlError extends Error {
  readonly code: SamlErrorCode;
  /** What to change, shown apart from the message (the message never repeats it). */
  readonly hint?: string;
  /** @internal The hint per IdP, when it names IdP settings. */
  readonly idpHint?: IdpHint;
  /** @internal What the check expected and what came, for inspectResponse's trace. */
  readonly detail?: CheckDetail;

  constructor(code: SamlErrorCode, message: string, hint?: string | IdpHint) {
    super(message);
    this.name = 'SamlError';
    this.code = code;
    if (typeof hint === 'string') this.hint = hint;
    else if (hint !== undefined) {
      this.hint = hint.generic;
      Object.defineProperty(this, 'idpHint', { value: hint, enumerable: false });
    }
  }
}

/** What a check expected and what it found, as inspectResponse reports them (values already quoted). */
export interface CheckDetail {
  expected?: string;
  actual?: string;
}

/** `error`, carrying `detail` for the trace (not enumerable: the error's shape stays code, message, hint). */
export function withDetail(error: SamlError, detail: CheckDetail): SamlError {
  Object.defineProperty(error, 'detail', { value: detail, enumerable: false, configurable: true });
  return error;
}

/** Narrows the hint of `error` to the IdP's own setting, when the IdP is known. */
export function hintForIdp(error: SamlError, idp: IdpKind | null): SamlError {
  if (idp !== null && error.idpHint !== undefined) (error as { hint?: string }).hint = error.idpHint[idp];
  return error;
}

/** Which IdP an entity ID (an issuer) names: Okta's okta.com, Entra ID's sts.windows.net or login.microsoftonline.com. */
export function idpKindOf(entityId: string | null | undefined): IdpKind | null {
  if (!entityId) return null;
  let host: string;
  try {
    host = new URL(entityId).hostname.toLowerCase();
  } catch {
    return null;
  }
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (under('okta.com') || under('oktapreview.com') || under('okta-emea.com')) return 'okta';
  if (under('sts.windows.net') || under('login.microsoftonline.com')) return 'entra';
  return null;
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
