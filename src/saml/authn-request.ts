/**
 * Builds the SP's <samlp:AuthnRequest> (SAML core 3.4.1) and packs it for the HTTP-Redirect
 * (bindings 3.4) or HTTP-POST (bindings 3.5) binding. Requests are unsigned: the response check
 * (InResponseTo against the stored request ID) is what ties the login to this request.
 */
import escapeHtml from 'escape-html';
import { XMLBuilder } from 'fast-xml-parser';
import { deflateSync } from 'fflate';
import { encodeBase64 } from '../base64.js';
import { resolveConfig } from '../config.js';
import { SamlError, idpHint, show } from '../errors.js';
import { uriSafe, xmlSafe } from '../xml/write.js';
import { describe, isXsdDate } from './options.js';
import type {
  AuthnRequestOptions,
  AuthnRequestResult,
  PostAuthnRequestOptions,
  PostAuthnRequestResult,
  RedirectAuthnRequestOptions,
  RedirectAuthnRequestResult,
  SamlConfig,
} from '../types.js';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
// Bindings 3.4.3 / 3.5.3: "RelayState data MUST NOT exceed 80 bytes in length".
const MAX_RELAY_STATE_BYTES = 80;
const OPTION_NAMES = new Set(['binding', 'relayState', 'forceAuthn', 'now']);
// Parameters the Redirect binding itself defines (3.4.4.1); a second copy in the endpoint URL would
// leave the IdP to pick one.
const BINDING_PARAMS = ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature'];

// processEntities (the default) escapes & < > " ' in text and attribute values. The builder's default
// suppressBooleanAttributes would write ForceAuthn="true" as a bare `ForceAuthn`, which is not XML.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

// Typed by binding, so that each result has its field as a plain `string` / object: the redirect
// binding (the default) gives `redirectUrl`, `binding: 'post'` gives `form`; a binding known only
// at run time gives the union.
export function createAuthnRequest(config: SamlConfig, options?: RedirectAuthnRequestOptions): Promise<RedirectAuthnRequestResult>;
export function createAuthnRequest(config: SamlConfig, options: PostAuthnRequestOptions): Promise<PostAuthnRequestResult>;
export function createAuthnRequest(config: SamlConfig, options?: AuthnRequestOptions): Promise<AuthnRequestResult>;
export async function createAuthnRequest(config: SamlConfig, options?: AuthnRequestOptions): Promise<AuthnRequestResult> {
  const resolved = resolveConfig(config);
  const { ssoUrl, acsUrl, spEntityId, nameIdFormat } = resolved;
  if (ssoUrl === null) {
    throw new SamlError(
      'CONFIG_INVALID',
      'Invalid configuration: idp.ssoUrl is needed to send an AuthnRequest; got (none).',
      idpHint('Copy the IdP single sign-on endpoint', '"Identity Provider Single Sign-On URL"', '"Login URL"', '.'),
    );
  }
  // Issuer is a string; Destination, AssertionConsumerServiceURL and Format are xs:anyURI.
  xmlSafe(spEntityId, 'sp.entityId');
  uriSafe(acsUrl, 'sp.acsUrl');
  uriSafe(ssoUrl, 'idp.ssoUrl');
  if (nameIdFormat !== null) uriSafe(nameIdFormat, 'policy.nameIdFormat');

  const { binding, relayState, forceAuthn, now } = checkOptions(options);
  const id = newId();
  const xml: string = builder.build({
    'samlp:AuthnRequest': {
      '@_xmlns:samlp': PROTOCOL_NS,
      '@_xmlns:saml': ASSERTION_NS,
      '@_ID': id,
      '@_Version': '2.0',
      '@_IssueInstant': now.toISOString(),
      '@_Destination': ssoUrl,
      '@_AssertionConsumerServiceURL': acsUrl,
      '@_ProtocolBinding': HTTP_POST,
      ...(forceAuthn ? { '@_ForceAuthn': 'true' } : {}),
      'saml:Issuer': spEntityId,
      // Core 3.4.1.1: no Format means "unspecified", i.e. the IdP may pick; that is what 'any' asks.
      'samlp:NameIDPolicy': { ...(nameIdFormat === null ? {} : { '@_Format': nameIdFormat }), '@_AllowCreate': 'true' },
    },
  });
  const bytes = new TextEncoder().encode(xml);

  if (binding === 'redirect') {
    return { id, xml, redirectUrl: redirectUrl(ssoUrl, encodeBase64(deflateSync(bytes)), relayState) };
  }
  const fields: Record<string, string> = { SAMLRequest: encodeBase64(bytes) };
  if (relayState !== null) fields.RelayState = relayState;
  return { id, xml, form: { action: ssoUrl, fields, html: postPage(ssoUrl, fields) } };
}

interface CheckedOptions {
  binding: 'redirect' | 'post';
  relayState: string | null;
  forceAuthn: boolean;
  now: Date;
}

function checkOptions(options: unknown): CheckedOptions {
  if (options === undefined) return { binding: 'redirect', relayState: null, forceAuthn: false, now: new Date() };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw inputError('options must be an object or undefined', describe(options));
  }
  const o = options as Record<string, unknown>;
  // A misspelt option (forceAuth) would otherwise be dropped without a word.
  for (const key of Object.keys(o)) {
    if (!OPTION_NAMES.has(key)) throw inputError(`options may only have ${[...OPTION_NAMES].join(', ')}`, `an option named ${show(key)}`);
  }

  const binding = o.binding === undefined ? 'redirect' : o.binding;
  if (binding !== 'redirect' && binding !== 'post') throw inputError('options.binding must be "redirect" or "post"', describe(binding));

  const forceAuthn = o.forceAuthn === undefined ? false : o.forceAuthn;
  if (typeof forceAuthn !== 'boolean') throw inputError('options.forceAuthn must be true or false', describe(forceAuthn));

  let now = new Date();
  if (o.now !== undefined) {
    // IssueInstant is an xs:dateTime.
    if (!isXsdDate(o.now)) throw inputError('options.now must be a valid Date between the years 1 and 9999', describe(o.now));
    now = o.now;
  }

  let relayState: string | null = null;
  if (o.relayState !== undefined) {
    if (typeof o.relayState !== 'string' || o.relayState === '') {
      throw inputError('options.relayState must be a non-empty string (omit it for none)', describe(o.relayState));
    }
    // It must come back from the IdP unchanged: lone surrogates become U+FFFD in UTF-8 and form
    // submission rewrites line breaks, so neither can survive the round trip.
    if (/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(o.relayState)) {
      throw inputError('options.relayState must be well-formed text without control characters', show(o.relayState));
    }
    const size = new TextEncoder().encode(o.relayState).length;
    if (size > MAX_RELAY_STATE_BYTES) {
      throw inputError(
        `options.relayState must be at most ${MAX_RELAY_STATE_BYTES} bytes of UTF-8 (SAML bindings 3.4.3)`,
        `${size} bytes`,
        'Keep the state (such as the return URL) in the session and send a short key to it instead.',
      );
    }
    relayState = o.relayState;
  }
  return { binding, relayState, forceAuthn, now };
}

/**
 * `_` + 160 random bits in hex. Core 1.3.4: an xs:ID, hence an NCName (no leading digit), and the
 * chance of two IDs colliding MUST be <= 2^-128 and SHOULD be <= 2^-160.
 */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let hex = '_';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function redirectUrl(ssoUrl: string, samlRequest: string, relayState: string | null): string {
  const url = new URL(ssoUrl);
  for (const name of BINDING_PARAMS) {
    if (url.searchParams.has(name)) {
      throw new SamlError('CONFIG_INVALID', `Invalid configuration: idp.ssoUrl must not carry a ${name} parameter itself; got ${show(ssoUrl)}.`);
    }
  }
  // encodeURIComponent, not URLSearchParams: it writes a space as %20, which a plain percent-decoder
  // reads back too, and it leaves the endpoint's own parameters exactly as the IdP gave them.
  let added = `SAMLRequest=${encodeURIComponent(samlRequest)}`;
  if (relayState !== null) added += `&RelayState=${encodeURIComponent(relayState)}`;
  const existing = url.search.slice(1);
  url.search = existing === '' ? added : `${existing.replace(/&+$/, '')}&${added}`;
  // A fragment stays a fragment: URL serialises it after the query (WHATWG URL, "URL serializing").
  return url.href;
}

const SUBMIT_SCRIPT = 'document.forms[0].submit();';

function postPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  // The script is constant so a strict CSP can allow it by hash (README.md, "AuthnRequest").
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing in</title></head><body>' +
    `<form method="post" action="${escapeHtml(action)}">${inputs}` +
    '<noscript><p>JavaScript is off; press Continue to sign in.</p><button type="submit">Continue</button></noscript></form>' +
    `<script>${SUBMIT_SCRIPT}</script></body></html>`
  );
}

function inputError(expected: string, got: string, hint?: string): SamlError {
  return new SamlError('INVALID_INPUT', `Invalid AuthnRequest option: ${expected}; got ${got}.`, hint);
}
