// ACS endpoint on Deno.serve: deno add npm:saml-core, then deno run --allow-net --allow-env=PORT deno.js
import { validateResponse, SamlError } from 'saml-core';
import { config } from './saml-config.js';

Deno.serve({ port: Number(Deno.env.get('PORT') ?? 8000) }, async (request) => {
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/saml/acs') return new Response(null, { status: 404 });
  try {
    const login = await validateResponse(config, await request.text());
    return new Response(`signed in as ${login.nameId}`); // your session handling here
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    return new Response(`${error.code}: ${error.message}`, { status: 403 });
  }
});
