// ACS endpoint as a Cloudflare Worker: the main module of wrangler deploy (no compatibility flag needed).
import { validateResponse, SamlError } from 'saml-core';
import { config } from './saml-config.js';

export default {
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
};
