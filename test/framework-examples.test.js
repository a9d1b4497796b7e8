// The Express and Hono examples (examples/express.js, examples/hono.js, docs/express.md and
// docs/hono.md), each served on a free loopback port and driven over real HTTP: an SP-initiated
// login round trip with the local test IdP (the pending request ID in its SameSite=None cookie,
// then a Lax session), an IdP-initiated login, and the attacks an ACS must stop: a tampered
// response, an off-site RelayState (open redirect), a replay, and a response for a login this
// browser did not start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildResponse, signResponse, toPostBody } from '../dist/node/test-idp.js';
import { app as expressApp } from '../examples/express.js';
import { app as honoApp } from '../examples/hono.js';
import { ROOT } from './vector-files.js';

const KEYS = {
  privateKeyPem: readFileSync(join(ROOT, 'vectors', 'keys', 'okta.key.pem'), 'utf8'),
  certificatePem: readFileSync(join(ROOT, 'vectors', 'keys', 'okta.crt.pem'), 'utf8'),
};
const SSO_URL = 'https://example.okta.com/app/example_app/exk1fxg2ykKOIqGfd5d7/sso/saml';
const APP = 'https://app.example.com'; // the examples' origin (sp.acsUrl's)
const HOME = `${APP}/`;

/** The Okta-shaped test IdP's signed answer (the examples' config trusts its certificate). */
function idpPost({ inResponseTo = null, relayState = null, nameId = 'jane.doe@example.com', tamper = false } = {}) {
  let signed = signResponse(buildResponse({ shape: 'okta', now: new Date(), inResponseTo, nameId }), KEYS);
  if (tamper) signed = signed.replace(nameId, 'admin@example.com');
  return toPostBody(signed, relayState);
}

const FRAMEWORKS = {
  express: () => new Promise((resolve, reject) => {
    const server = expressApp.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve(server)));
  }),
  hono: () => new Promise((resolve) => {
    const server = serve({ fetch: honoApp.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
  }),
};

for (const [name, listen] of Object.entries(FRAMEWORKS)) {
  const it = suite(`${name} example`);
  let server;
  let origin;

  it.before(async () => {
    server = await listen();
    origin = `http://127.0.0.1:${server.address().port}`;
  });
  // uvu runs `after` in a finally: the server is closed whether the tests pass or fail.
  it.after(() => new Promise((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections?.();
    server.close(() => resolve());
  }));

  const get = (path, cookie) => fetch(`${origin}${path}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
  const acs = (body, cookie) => fetch(`${origin}/saml/acs`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
  /** The name=value of each Set-Cookie, and each one's attributes. */
  const cookies = (response) => response.headers.getSetCookie().map((line) => ({ pair: line.split(';')[0], line }));
  const sessionOf = (response) => cookies(response).find((c) => c.pair.startsWith('sid='))?.pair;

  /** GET /login: the redirect to the IdP, the request ID it carries, and the pending cookie. */
  async function login(returnTo) {
    const response = await get(`/login${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`);
    assert.is(response.status, 302);
    const location = new URL(response.headers.get('location'));
    assert.is(`${location.origin}${location.pathname}`, SSO_URL);
    const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest'), 'base64')).toString('utf8');
    const id = /\sID="([^"]+)"/.exec(xml)[1];
    const [pending] = cookies(response);
    return { id, relayState: location.searchParams.get('RelayState'), pending };
  }

  it('SP-initiated login: the pending request ID in a SameSite=None; Secure; HttpOnly cookie, then a session', async () => {
    const { id, relayState, pending } = await login('/dashboard');
    assert.is(relayState, `${APP}/dashboard`);
    assert.is(pending.pair, `saml_pending=${id}`);
    assert.match(pending.line, /; Path=\/saml\/acs; Max-Age=300; HttpOnly; Secure; SameSite=None$/);

    const response = await acs(idpPost({ inResponseTo: id, relayState }), pending.pair);
    assert.is(response.status, 303, await response.clone().text());
    assert.is(response.headers.get('location'), `${APP}/dashboard`);
    const set = cookies(response);
    assert.ok(set.some((c) => c.line === 'saml_pending=; Path=/saml/acs; Max-Age=0; HttpOnly; Secure; SameSite=None'), 'the pending cookie is cleared');
    const session = set.find((c) => c.pair.startsWith('sid='));
    assert.match(session.line, /; Path=\/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);

    assert.is(await (await get('/me', session.pair)).text(), 'signed in as jane.doe@example.com');
    assert.is(await (await get('/me')).text(), 'not signed in');
  });

  it('tampered response (NameID changed after signing) is rejected, and no session opened', async () => {
    const { id, pending } = await login('/dashboard');
    const response = await acs(idpPost({ inResponseTo: id, tamper: true }), pending.pair);
    assert.is(response.status, 403);
    assert.is(await response.text(), 'sign-in failed: SIGNATURE_INVALID');
    assert.is(sessionOf(response), undefined);
  });

  it('replayed response: the same POST a second time is rejected', async () => {
    const { id, pending } = await login('/');
    const body = idpPost({ inResponseTo: id });
    assert.is((await acs(body, pending.pair)).status, 303);
    const again = await acs(body, pending.pair);
    assert.is(again.status, 403);
    assert.is(await again.text(), 'sign-in failed: REPLAYED');
  });

  it('a response to a login this browser did not start (no pending cookie: login CSRF) is rejected', async () => {
    const { id } = await login('/');
    const response = await acs(idpPost({ inResponseTo: id }));
    assert.is(response.status, 403);
    assert.is(await response.text(), 'sign-in failed: IN_RESPONSE_TO_MISMATCH');
  });

  it('IdP-initiated login (no pending request) opens a session and follows a same-origin RelayState', async () => {
    const response = await acs(idpPost({ relayState: '/reports?q=1' }));
    assert.is(response.status, 303, await response.clone().text());
    assert.is(response.headers.get('location'), `${APP}/reports?q=1`);
    assert.is((await acs(idpPost({ relayState: `${APP}/a#b` }))).headers.get('location'), `${APP}/a#b`);
    assert.is(await (await get('/me', sessionOf(response))).text(), 'signed in as jane.doe@example.com');
  });

  // Each leaves the site when redirected to as it is; '/.//evil.example' is a path of this origin
  // whose normalized form, '//evil.example', a browser reads as another host.
  const OFF_SITE = ['https://evil.example/steal', '//evil.example/steal', '/\\evil.example', '/.//evil.example', '/..//evil.example',
    'javascript:alert(1)', 'https://app.example.com.evil.example/', 'http://app.example.com/', 'https://app.example.com:8443/'];

  it('open redirect: an off-site RelayState is not followed (the user lands on the home page)', async () => {
    for (const relayState of OFF_SITE) {
      const response = await acs(idpPost({ relayState }));
      assert.is(response.status, 303, relayState);
      const location = response.headers.get('location');
      // Resolved as a browser resolves a Location (against the ACS URL): still this origin.
      assert.is(new URL(location, origin).origin, APP, `${relayState} -> ${location}`);
    }
  });

  it('open redirect: an off-site returnTo at /login is not sent as RelayState', async () => {
    for (const returnTo of OFF_SITE) {
      const { relayState } = await login(returnTo);
      assert.is(new URL(relayState).origin, APP, `${returnTo} -> ${relayState}`);
    }
    assert.is((await login()).relayState, HOME);
    assert.is((await login(`/${'x'.repeat(100)}`)).relayState, HOME); // over RelayState's 80 bytes
  });

  it.run();
}
