// SAML login in an Express app (docs/express.md): node examples/express.js, then open /login.
import { pathToFileURL } from 'node:url';
import express from 'express';
import { SamlError } from 'saml-core';
import { finishLogin, sessionUser, startLogin } from './saml-login.js';

export const app = express();

// SP-initiated: /login?returnTo=/dashboard sends the browser to the IdP.
app.get('/login', async (req, res) => {
  const { redirectUrl, setCookie } = await startLogin(req.query.returnTo);
  res.append('Set-Cookie', setCookie).redirect(302, redirectUrl);
});

// The ACS: the IdP POSTs the SAMLResponse here, for SP- and IdP-initiated logins alike. The body
// stays text, so that saml-core's size limit applies before any decoding.
app.post('/saml/acs', express.text({ type: 'application/x-www-form-urlencoded', limit: '1mb' }), async (req, res) => {
  try {
    const { setCookies, returnTo } = await finishLogin(req.body, req.headers.cookie);
    res.append('Set-Cookie', setCookies).redirect(303, returnTo);
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    // error.message names the IdP setting to fix: log it for the admin, show the user the code.
    res.status(403).type('text/plain').send(`sign-in failed: ${error.code}`);
  }
});

app.get('/me', (req, res) => {
  const user = sessionUser(req.headers.cookie);
  res.type('text/plain').send(user ? `signed in as ${user.email ?? user.nameId}` : 'not signed in');
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) app.listen(Number(process.env.PORT ?? 3000));
