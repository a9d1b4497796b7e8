/**
 * saml-core decode INPUT: every message in INPUT decoded (base64, and DEFLATE for the redirect
 * binding), pretty-printed, with what a Response claims: all of it NOT VERIFIED, since nothing is
 * checked. Exit 0 when every message decoded, 2 when one could not be (nothing to show).
 */
import { SamlError } from '../../index.js';
import { checkXmlText, decodeBody } from '../../saml/decode.js';
import { DEFAULT_XML_LIMITS, parseXml } from '../../xml/parse.js';
import type { DocumentSummary } from '../../index.js';
import { summarizeResponseXml } from '../../saml/summary.js';
import { detectInput, readSource, type CapturedMessage, type Input } from './input.js';
import { jsonText, type Io } from './io.js';
import { colorsFor, renderSummary, safe } from './render.js';
import { decodeSamlRequest } from './saml-request.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './usage.js';
import { prettyXml } from './xml-pretty.js';

const MAX_BODY_BYTES = 1024 * 1024;

interface Decoded {
  label: string;
  kind: 'response' | 'request';
  binding: 'post' | 'redirect' | 'unknown';
  relayState: string | null;
  /** The decoded XML text, exactly. */
  xml: string | null;
  pretty: string | null;
  document: DocumentSummary | null;
  /** Why the summary is missing (not a Response, say), when it is. */
  summaryError: string | null;
  error: string | null;
}

export async function runDecode(inputArg: string, flags: { json?: boolean }, io: Io): Promise<number> {
  const input = detectInput(readSource(inputArg).bytes, inputArg === '-' ? 'standard input' : inputArg);
  const decoded: Decoded[] = [];
  for (const message of input.messages) decoded.push(await decodeMessage(message));
  if (flags.json) io.stdout.write(jsonText(decodeJson(input, decoded)));
  else io.stdout.write(renderDecode(decoded, io));
  const failed = decoded.filter((d) => d.error !== null);
  for (const d of failed) io.stderr.write(`saml-core decode: ${d.label}: ${d.error}\n`);
  return failed.length > 0 ? EXIT_USAGE : EXIT_OK;
}

async function decodeMessage(message: CapturedMessage): Promise<Decoded> {
  const out: Decoded = { label: message.label, kind: message.kind, binding: 'post', relayState: null, xml: null, pretty: null, document: null, summaryError: null, error: null };
  try {
    if (message.kind === 'response') {
      const { xml, relayState } = decodeBody(message.body, MAX_BODY_BYTES);
      out.xml = xml;
      out.relayState = relayState;
    } else {
      const { xml, deflated } = decodeSamlRequest(message.value, message.label);
      out.binding = deflated ? 'redirect' : 'post';
      out.relayState = message.relayState;
      out.xml = checkXmlText(xml, 'INVALID_INPUT', 'INVALID_XML');
    }
    const { document } = parseXml(out.xml, DEFAULT_XML_LIMITS, { name: message.kind === 'response' ? 'SAMLResponse' : 'SAMLRequest', code: 'INVALID_XML', limitsSetting: null });
    out.pretty = prettyXml(document);
  } catch (error) {
    if (error instanceof SamlError) out.error = `${error.code}: ${error.message}`;
    else if (error instanceof UsageError) out.error = error.message;
    else throw error;
    return out;
  }
  if (message.kind === 'request') return out;
  try {
    out.document = await summarizeResponseXml(out.xml);
  } catch (error) {
    if (!(error instanceof SamlError)) throw error;
    out.summaryError = `${error.code}: ${error.message}`;
  }
  return out;
}

function decodeJson(input: Input, decoded: Decoded[]) {
  return {
    command: 'decode',
    verified: false,
    input: { name: input.name, format: input.format },
    messages: decoded.map((d) => ({
      label: d.label,
      kind: d.kind,
      binding: d.binding,
      relayState: d.relayState,
      xml: d.xml,
      document: d.document,
      error: d.error,
    })),
  };
}

function renderDecode(decoded: Decoded[], io: Io): string {
  const c = colorsFor(io.stdout, io.env);
  const lines: string[] = [];
  lines.push(c.yellow(c.bold('NOT VERIFIED')) + ': decoded only. No signature and no check was run, so every value below is what the message claims; `saml-core check` validates it.');
  decoded.forEach((d, i) => {
    lines.push('');
    const what = d.kind === 'response' ? 'SAMLResponse' : `SAMLRequest (${d.binding === 'redirect' ? 'HTTP-Redirect binding, inflated' : 'HTTP-POST binding'})`;
    lines.push(c.bold(`${decoded.length > 1 ? `${i + 1} of ${decoded.length}: ` : ''}${safe(d.label)}: ${what}`));
    if (d.relayState !== null) lines.push(`RelayState: ${safe(d.relayState)}`);
    if (d.error !== null) {
      lines.push(c.red(`not decoded: ${safe(d.error)}`));
      return;
    }
    lines.push('');
    lines.push(d.pretty as string);
    if (d.document !== null) {
      lines.push('');
      lines.push(...renderSummary(d.document, c, false));
    } else if (d.kind === 'response' && d.summaryError !== null) {
      lines.push('');
      lines.push(c.dim(`no summary: ${safe(d.summaryError)}`));
    }
  });
  return `${lines.join('\n')}\n`;
}
