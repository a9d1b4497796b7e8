// SAML login in a Hono app (docs/hono.md): node examples/hono.js, then open /login. The app itself
// runs on any runtime Hono does (export default app); @hono/node-server serves it on Node.
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SamlError } from 'saml-core';
import { finishLogin, sessionUser, startLogin } from './saml-login.js';

export const app = new Hono();

// SP-initiated: /login?returnTo=/dashboard sends the browser to the IdP.
app.get('/login', async (c) => {
  const { redirectUrl, setCookie } = await startLogin(c.req.query('returnTo'));
  c.header('Set-Cookie', setCookie);
  return c.redirect(redirectUrl, 302);
});

// The ACS: the IdP POSTs the SAMLResponse here, for SP- and IdP-initiated logins alike.
app.post('/saml/acs', bodyLimit({ maxSize: 1024 * 1024 }), async (c) => {
  try {
    const { setCookies, returnTo } = await finishLogin(await c.req.text(), c.req.header('Cookie'));
    for (const cookie of setCookies) c.header('Set-Cookie', cookie, { append: true });
    return c.redirect(returnTo, 303);
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    // error.message names the IdP setting to fix: log it for the admin, show the user the code.
    return c.text(`sign-in failed: ${error.code}`, 403);
  }
});

app.get('/me', (c) => {
  const user = sessionUser(c.req.header('Cookie'));
  return c.text(user ? `signed in as ${user.email ?? user.nameId}` : 'not signed in');
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
