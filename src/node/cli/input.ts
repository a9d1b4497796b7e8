/**
 * INPUT of `check` and `decode`: read a file (or standard input for "-"), and tell which of the
 * accepted formats it is. Every format ends as messages: Responses as the POST body the core takes,
 * SAMLRequests (decode only) as the parameter value and its binding.
 *
 *   form         a urlencoded POST body: SAMLResponse=...&RelayState=...
 *   base64       the SAMLResponse value alone (wrapped lines allowed; URL-encoded too)
 *   xml          the Response XML itself
 *   har          a HAR 1.2 file: every POST whose postData carries SAMLResponse (and, for decode,
 *                every GET whose URL carries a SAMLRequest)
 *   saml-tracer  a SAML-tracer JSON export: every POST whose `post` carries SAMLResponse
 *   vector       a vector file (../shared/VECTORS.md), with its own config, now and request_id
 *   url          a redirect-binding URL carrying SAMLRequest (or SAMLResponse): decode only
 *
 * The shapes of HAR and SAML-tracer exports, with the sources they were read from, are in docs/cli.md.
 */
import { readFileSync } from 'node:fs';
import type { ResponseBody } from '../../index.js';
import { inflate } from './saml-request.js';
import { UsageError, kindOf, quote } from './usage.js';
import { looksLikeVector, readVector, type Vector } from './vector-file.js';

export type InputFormat = 'form' | 'base64' | 'xml' | 'har' | 'saml-tracer' | 'vector' | 'url';

export const FORMATS_ACCEPTED =
  'a urlencoded POST body (SAMLResponse=...), the base64 SAMLResponse, the Response XML, a HAR file, a SAML-tracer JSON export, a vector file (../shared/VECTORS.md), or "-" for standard input';

export interface CapturedResponse {
  kind: 'response';
  /** Where in the input it was found, for the listing. */
  label: string;
  body: ResponseBody;
  /** The vector file it came from (format "vector"). */
  vector?: Vector;
  /** Something the reader had to do or could not know, said with the result. */
  note?: string;
}

export interface CapturedRequest {
  kind: 'request';
  label: string;
  /** The SAMLRequest parameter value (base64; DEFLATEd in the redirect binding). */
  value: string;
  binding: 'redirect' | 'post' | 'unknown';
  relayState: string | null;
}

export type CapturedMessage = CapturedResponse | CapturedRequest;

export interface Input {
  /** The path as given, or "standard input". */
  name: string;
  format: InputFormat;
  messages: CapturedMessage[];
}

/** At most this much is read from a file or standard input (a HAR of a long session can be large). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** The bytes of INPUT: a file, or standard input for "-". */
export function readSource(arg: string, stdin: () => Buffer = () => readFileSync(0)): { name: string; bytes: Buffer } {
  if (arg === '-') {
    let bytes: Buffer;
    try {
      bytes = stdin();
    } catch (error) {
      throw new UsageError(`cannot read standard input: ${(error as Error).message}`);
    }
    return { name: 'standard input', bytes };
  }
  return { name: arg, bytes: readFileOrThrow(arg, 'INPUT') };
}

/** A file's bytes, or a UsageError naming what it was for and why it could not be read. */
export function readFileOrThrow(path: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${quote(path)}: ${why}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) throw new UsageError(`${what} ${quote(path)} is ${bytes.length} bytes; at most ${MAX_INPUT_BYTES} are read`);
  return bytes;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ASCII_SPACE = /[\t\n\f\r ]+/g;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/** Which format `bytes` are in, and the messages they carry; a UsageError names the accepted formats when none fits. */
export function detectInput(bytes: Buffer, name: string): Input {
  const raw = bytes.toString('utf8');
  const text = (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).trim();
  if (text === '') throw new UsageError(`${name} is empty: expected ${FORMATS_ACCEPTED}`);
  const first = text[0];

  if (first === '{' || first === '[') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${name} starts like JSON (expected a HAR file, a SAML-tracer export or a vector file) but is not valid JSON: ${(error as Error).message}`);
    }
    return fromJson(json, name);
  }

  if (first === '<') {
    // The document's own bytes, as the IdP would have base64-encoded them.
    return { name, format: 'xml', messages: [{ kind: 'response', label: 'XML', body: { SAMLResponse: bytes.toString('base64') } }] };
  }

  if (/^https?:\/\//i.test(text)) return fromUrl(text, name);

  if (/(?:^|&)SAML(?:Response|Request)=/.test(text)) return fromForm(text, name);

  // A bare parameter value: wrapped lines allowed, and URL-encoded when copied from a URL or a form body.
  let value = text.replace(ASCII_SPACE, '');
  if (PERCENT_ESCAPE.test(value)) {
    try {
      value = decodeURIComponent(value);
    } catch {
      throw unrecognised(name, text);
    }
  }
  if (BASE64.test(value) && value.length >= 8) {
    const decoded = Buffer.from(value, 'base64');
    if (startsLikeXml(decoded)) return { name, format: 'base64', messages: [{ kind: 'response', label: 'SAMLResponse', body: { SAMLResponse: value } }] };
    // Not XML: a redirect-binding SAMLRequest is DEFLATEd before base64. Anything else fits no format.
    const inflated = inflate(decoded);
    if (inflated !== null && startsLikeXml(Buffer.from(inflated))) return { name, format: 'base64', messages: [{ kind: 'request', label: 'SAMLRequest', value, binding: 'redirect', relayState: null }] };
    throw new UsageError(`${name}: base64 that decodes to neither XML (a SAMLResponse) nor DEFLATEd XML (a redirect-binding SAMLRequest); expected ${FORMATS_ACCEPTED}`);
  }
  throw unrecognised(name, text);
}

function unrecognised(name: string, text: string): UsageError {
  return new UsageError(`${name}: unrecognised input; expected ${FORMATS_ACCEPTED}; it starts with ${quote(text.slice(0, 40))}`);
}

/** XML after an optional UTF-8 BOM and white space (the core refuses UTF-16 itself, with its reason). */
function startsLikeXml(bytes: Buffer): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  // UTF-16 with or without a BOM: "<" is 0x3c next to a zero byte.
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return true;
  return bytes[i] === 0x3c || (bytes[i] === 0 && bytes[i + 1] === 0x3c);
}

function fromForm(text: string, name: string): Input {
  const form = new URLSearchParams(text);
  if (form.has('SAMLResponse')) return { name, format: 'form', messages: [{ kind: 'response', label: 'POST body', body: text }] };
  const value = form.get('SAMLRequest') as string;
  return { name, format: 'form', messages: [{ kind: 'request', label: 'SAMLRequest', value, binding: 'unknown', relayState: form.get('RelayState') }] };
}

function fromUrl(text: string, name: string): Input {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${name}: starts like a URL but is not one (expected a redirect-binding URL with a SAMLRequest parameter)`);
  }
  const request = url.searchParams.get('SAMLRequest');
  const response = url.searchParams.get('SAMLResponse');
  const label = `${url.origin}${url.pathname}`;
  if (request !== null) return { name, format: 'url', messages: [{ kind: 'request', label, value: request, binding: 'redirect', relayState: url.searchParams.get('RelayState') }] };
  if (response !== null) {
    // The HTTP-Redirect binding of a Response: DEFLATEd like a request; decode shows it, check refuses it (SAML Web SSO responses are POSTed).
    return { name, format: 'url', messages: [{ kind: 'request', label: `${label} (SAMLResponse, redirect binding)`, value: response, binding: 'redirect', relayState: url.searchParams.get('RelayState') }] };
  }
  throw new UsageError(`${name}: the URL has no SAMLRequest or SAMLResponse parameter (expected a redirect-binding URL, or ${FORMATS_ACCEPTED})`);
}

function fromJson(json: unknown, name: string): Input {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const object = json as Record<string, unknown>;
    const log = object.log as Record<string, unknown> | undefined;
    if (typeof log === 'object' && log !== null && Array.isArray(log.entries)) return fromHar(log.entries, name);
    if (Array.isArray(object.requests)) return fromSamlTracer(object.requests, name);
    if (looksLikeVector(json)) {
      const vector = readVector(json, name);
      return { name, format: 'vector', messages: [{ kind: 'response', label: vector.name, body: vectorBody(vector), vector }] };
    }
  }
  throw new UsageError(`${name}: JSON, but not a HAR file (log.entries), a SAML-tracer export (requests) or a vector file (expect, idp_config, body); got ${kindOf(json)}`);
}

function vectorBody(vector: Vector): ResponseBody {
  if (typeof vector.body === 'string') return vector.body;
  return { SAMLResponse: vector.saml_response, RelayState: vector.relay_state ?? undefined };
}

/** The form a HAR postData carries: its `text` (base64 when `encoding` says so), else its `params`. */
function harForm(postData: Record<string, unknown>): { form: URLSearchParams; raw: string | null } | null {
  if (typeof postData.text === 'string' && postData.text !== '') {
    const text = postData.encoding === 'base64' ? Buffer.from(postData.text, 'base64').toString('utf8') : postData.text;
    const mime = typeof postData.mimeType === 'string' ? postData.mimeType.toLowerCase() : '';
    if (mime.startsWith('application/x-www-form-urlencoded') || /(?:^|&)SAML(?:Response|Request)=/.test(text)) return { form: new URLSearchParams(text), raw: text };
  }
  if (Array.isArray(postData.params)) {
    const form = new URLSearchParams();
    for (const param of postData.params as unknown[]) {
      if (typeof param !== 'object' || param === null) continue;
      const { name, value } = param as { name?: unknown; value?: unknown };
      if (typeof name !== 'string' || typeof value !== 'string') continue;
      // Chrome writes params as sent (URL-encoded), Firefox decoded; a decoded base64 value has no "%".
      form.append(name, PERCENT_ESCAPE.test(value) ? (new URLSearchParams(`v=${value}`).get('v') as string) : value);
    }
    return { form, raw: null };
  }
  return null;
}

function fromHar(entries: unknown[], name: string): Input {
  const messages: CapturedMessage[] = [];
  entries.forEach((entry, i) => {
    const request = (entry as { request?: Record<string, unknown> } | null)?.request;
    if (typeof request !== 'object' || request === null) return;
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
    const url = typeof request.url === 'string' ? request.url : '(no url)';
    const label = `entry ${i + 1}: ${method} ${url}`;
    if (method === 'POST' && typeof request.postData === 'object' && request.postData !== null) {
      const found = harForm(request.postData as Record<string, unknown>);
      if (found?.form.has('SAMLResponse')) {
        // The body exactly as the browser sent it when the HAR has it; else the parameters.
        const body: ResponseBody = found.raw ?? { SAMLResponse: found.form.get('SAMLResponse') as string, RelayState: found.form.get('RelayState') ?? undefined };
        messages.push({ kind: 'response', label, body });
      } else if (found?.form.has('SAMLRequest')) {
        messages.push({ kind: 'request', label, value: found.form.get('SAMLRequest') as string, binding: 'post', relayState: found.form.get('RelayState') });
      }
    } else if (method === 'GET') {
      const params = paramsOfUrl(url);
      const value = params?.get('SAMLRequest');
      if (params && value) messages.push({ kind: 'request', label, value, binding: 'redirect', relayState: params.get('RelayState') });
    }
  });
  if (messages.length === 0) throw new UsageError(`${name}: a HAR file of ${entries.length} entries, none a POST carrying SAMLResponse (expected log.entries[].request.postData with a SAMLResponse in text or params)`);
  return { name, format: 'har', messages };
}

function paramsOfUrl(url: string): URLSearchParams | null {
  try {
    return new URL(url).searchParams;
  } catch {
    return null;
  }
}

function fromSamlTracer(requests: unknown[], name: string): Input {
  const messages: CapturedMessage[] = [];
  let filtered = 0;
  requests.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) return;
    const request = item as Record<string, unknown>;
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
    const url = typeof request.url === 'string' ? request.url : '(no url)';
    const label = `request ${i + 1}: ${method} ${url}`;
    // `post` is a list of [name, value] pairs, the form values decoded (SAMLTrace.Request.parsePOST).
    const post = Array.isArray(request.post) ? (request.post as unknown[]).filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') : [];
    const field = (key: string) => post.find((p) => p[0] === key)?.[1];
    const response = field('SAMLResponse');
    if (method === 'POST' && response !== undefined) {
      const stripped = response.replace(ASCII_SPACE, '');
      if (BASE64.test(stripped)) {
        messages.push({ kind: 'response', label, body: { SAMLResponse: response, RelayState: field('RelayState') } });
      } else if (typeof request.saml === 'string' && request.saml.trimStart().startsWith('<')) {
        // The export profiles "hash" (the default) and "obfuscate" replace every form value; the
        // decoded message survives in `saml`. Its text is re-encoded as UTF-8, as the IdP sent it.
        messages.push({
          kind: 'response',
          label,
          body: { SAMLResponse: Buffer.from(request.saml, 'utf8').toString('base64') },
          note: 'the export replaced the form values (SAML-tracer export filter); SAMLResponse was rebuilt from the decoded "saml" field, and RelayState is unknown',
        });
      } else filtered++;
      return;
    }
    const requestValue = method === 'POST' ? field('SAMLRequest') : method === 'GET' ? (paramsOfUrl(url)?.get('SAMLRequest') ?? undefined) : undefined;
    if (requestValue !== undefined && requestValue !== '') {
      messages.push({ kind: 'request', label, value: requestValue, binding: method === 'GET' ? 'redirect' : 'post', relayState: field('RelayState') ?? null });
    }
  });
  if (messages.length === 0) {
    const why = filtered > 0 ? `; ${filtered} POST carried a SAMLResponse whose value the export replaced, without the decoded "saml" field` : '';
    throw new UsageError(`${name}: a SAML-tracer export of ${requests.length} requests, none a POST carrying SAMLResponse${why}`);
  }
  return { name, format: 'saml-tracer', messages };
}
