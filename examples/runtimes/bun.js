// ACS endpoint on Bun.serve: bun add saml-core, then bun bun.js
import { validateResponse, SamlError } from 'saml-core';
import { config } from './saml-config.js';

Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  async fetch(request) {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/saml/acs') return new Response(null, { status: 404 });
    try {
      const login = await validateResponse(config, await request.text());
      return new Response(`signed in as ${login.nameId}`); // your session handling here
    } catch (error) {
      if (!(error instanceof SamlError)) throw error;
      return new Response(`${error.code}: ${error.message}`, { status: 403 });
    }
  },
});
