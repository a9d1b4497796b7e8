/** Rules for the values the library writes into the XML it builds (AuthnRequest, SP metadata). */
import { SamlError, show } from '../errors.js';

/**
 * XML 1.0 (2.2) forbids most control characters outright, and parsers rewrite tab, CR and LF in
 * attribute values (3.3.3) and CR in text (2.11): such a value would reach the IdP changed.
 * `name` is the config field or option the value came from.
 */
export function xmlSafe(value: string, name: string): void {
  if (/[\u0000-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    throw new SamlError('CONFIG_INVALID', `Invalid configuration: ${name} must not contain control characters or lone surrogates; got ${show(value)}.`);
  }
}

// RFC 3986 URI-reference, after the escaping that XML Schema's xs:anyURI allows (XLink 5.4: space,
// <, >, ", non-ASCII... are escaped, so they pass): what is left to check is the grammar's structure.
// `[` and `]` only around an IP-literal host, `%` only before two hex digits, one `#`, a port of
// one or more digits, a scheme made of its own characters, and no colon in a relative path's first segment.
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[^%\\[\\]#?/]|${PCT})`;
const SEGMENT_NC = `(?:[^%\\[\\]#?/:]|${PCT})`;
const USERINFO = `(?:[^%\\[\\]#?/@]|${PCT})`;
const REG_NAME = `(?:[^%\\[\\]#?/@:]|${PCT})`;
const AUTHORITY = `(?:${USERINFO}*@)?(?:\\[[0-9A-Fa-f:.]+\\]|\\[v[0-9A-Fa-f]+\\.[^\\]\\s]+\\]|${REG_NAME}*)(?::\\d+)?`;
const PATH = `(?:/${PCHAR}*)*`;
const TAIL = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const URI_REFERENCE = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.-]*:(?://${AUTHORITY}${PATH}|(?!//)${PCHAR}*${PATH})|//${AUTHORITY}${PATH}|(?:${SEGMENT_NC}+${PATH})?|/(?!/)${PCHAR}*${PATH})${TAIL}$`,
);

/** A value written into an xs:anyURI (entity IDs, endpoint URLs, NameID formats) must be a URI reference. */
export function uriSafe(value: string, name: string): void {
  xmlSafe(value, name);
  if (!URI_REFERENCE.test(value)) {
    throw new SamlError(
      'CONFIG_INVALID',
      `Invalid configuration: ${name} must be a URI (RFC 3986: "%" only before two hex digits, "[" and "]" only around an IPv6 host, one "#", a port of digits); got ${show(value)}.`,
    );
  }
}
