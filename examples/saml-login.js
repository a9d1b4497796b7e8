// The framework-neutral half of the Express and Hono examples (docs/sessions.md): where the pending
// AuthnRequest ID waits between the redirect to the IdP and the IdP's POST back, the same-origin
// check on RelayState, and the app's own session.
import { createAuthnRequest, validateResponse } from 'saml-core';
import { config } from './saml-config.js';

// RelayState and return URLs may only send the user back to this origin (the ACS URL's).
const APP_ORIGIN = new URL(config.sp.acsUrl).origin;
const ACS_PATH = new URL(config.sp.acsUrl).pathname;

// The IdP's POST to the ACS is a cross-site request: a SameSite=Lax (or Strict) cookie is not sent
// with it. The pending request ID therefore rides in its own SameSite=None cookie (which browsers
// require to be Secure), HttpOnly, sent only to the ACS path, for the 5 minutes a login may take.
const PENDING = 'saml_pending';
const pendingCookie = (value, maxAge) => `${PENDING}=${value}; Path=${ACS_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None`;
// The app's session cookie is an ordinary first-party one: SameSite=Lax.
const SESSION = 'sid';
const sessionCookie = (sid) => `${SESSION}=${sid}; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax`;

const sessions = new Map(); // session ID -> user; use your session store

/** The value of cookie `name` in a Cookie header, or undefined. */
function readCookie(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * `target` (a RelayState, a return URL) as an absolute URL of this origin, or the home page when it
 * is anything else: another site, a scheme, garbage. Absolute, because a path can still leave the
 * site: '/.//evil.example' is the path '//evil.example', which a browser reads as another host.
 */
export function sameOriginUrl(target) {
  const url = typeof target === 'string' && URL.canParse(target, APP_ORIGIN) ? new URL(target, APP_ORIGIN) : null;
  return url?.origin === APP_ORIGIN ? url.href : `${APP_ORIGIN}/`;
}

/** SP-initiated login: where to send the browser, and the cookie keeping the pending request ID. */
export async function startLogin(returnTo) {
  const returnUrl = sameOriginUrl(returnTo);
  // RelayState is limited to 80 bytes (SAML bindings 3.4.3); a longer URL goes home instead.
  const relayState = new TextEncoder().encode(returnUrl).length <= 80 ? returnUrl : `${APP_ORIGIN}/`;
  const request = await createAuthnRequest(config, { relayState });
  return { redirectUrl: request.redirectUrl, setCookie: pendingCookie(request.id, 300) };
}

/**
 * The ACS: validates the IdP's POST body against the request pending in this browser (none:
 * IdP-initiated login) and opens a new session. Resolves to the cookies to set and where to send
 * the user (RelayState, if it is a URL of this origin); rejects with a SamlError.
 */
export async function finishLogin(body, cookieHeader) {
  const pending = readCookie(cookieHeader, PENDING);
  const login = await validateResponse(config, body, { requestId: pending || null });
  const sid = crypto.randomUUID();
  sessions.set(sid, { nameId: login.nameId, email: login.email, attributes: login.attributes });
  return { setCookies: [pendingCookie('', 0), sessionCookie(sid)], returnTo: sameOriginUrl(login.relayState) };
}

/** The signed-in user of a request's Cookie header, or undefined. */
export function sessionUser(cookieHeader) {
  const sid = readCookie(cookieHeader, SESSION);
  return sid === undefined ? undefined : sessions.get(sid);
}
