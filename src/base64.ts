/**
 * Strict base64 (RFC 4648 section 4) without Buffer or atob, so it behaves the same in every
 * runtime. atob() is forgiving (it drops whitespace anywhere and accepts missing padding); a
 * security library wants one reading of the input, so this decoder accepts only the standard
 * alphabet, line breaks between groups (MIME-wrapped output of some IdPs), and exact padding.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Returns null when the text is not strict base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  // Only CR, LF, space and tab may separate the groups; they carry no data.
  let clean = text;
  if (/[\r\n\t ]/.test(text)) clean = text.replace(/[\r\n\t ]+/g, '');
  const len = clean.length;
  if (len === 0 || len % 4 !== 0) return null;
  let pad = 0;
  if (clean.charCodeAt(len - 1) === 61) pad = clean.charCodeAt(len - 2) === 61 ? 2 : 1;
  const out = new Uint8Array((len / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const last = i + 4 === len;
    const a = lookup(clean, i);
    const b = lookup(clean, i + 1);
    const c = last && pad === 2 ? 0 : lookup(clean, i + 2);
    const d = last && pad >= 1 ? 0 : lookup(clean, i + 3);
    if ((a | b | c | d) < 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
    // Non-canonical encodings (bits set in the padding) are a second spelling of the same bytes.
    if (last && ((pad === 2 && (b & 0x0f) !== 0) || (pad === 1 && (c & 0x03) !== 0))) return null;
  }
  return out;
}

function lookup(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? (DECODE[code] as number) : -1;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (i < n) {
    const v = ((bytes[i] as number) << 16) | (i + 1 < n ? (bytes[i + 1] as number) << 8 : 0);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
    out += i + 1 < n ? ALPHABET[(v >> 6) & 63]! + '=' : '==';
  }
  return out;
}
