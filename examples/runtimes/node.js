// ACS endpoint on Node's http module (Node 20 or later): node node.js
import { createServer } from 'node:http';
import { validateResponse, SamlError } from 'saml-core';
import { config } from './saml-config.js';

createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/saml/acs') return res.writeHead(404).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const login = await validateResponse(config, Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200).end(`signed in as ${login.nameId}`); // your session handling here
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    res.writeHead(403).end(`${error.code}: ${error.message}`);
  }
}).listen(Number(process.env.PORT ?? 3000));
