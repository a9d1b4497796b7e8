/**
 * Checks a SamlConfig once and turns it into the resolved form the rest of the library reads.
 * A mistake in the configuration is the SP admin's to fix, so each message names the field.
 */
import { certificateDer, derToPem } from './certificates.js';
import { SamlError, idpHint, show } from './errors.js';
import { DEFAULT_XML_LIMITS } from './xml/parse.js';
import { createMemoryReplayStore } from './saml/replay-store.js';
import type { ReplayStore, SamlConfig, XmlLimits } from './types.js';

export const NAMEID_FORMATS: Readonly<Record<string, string>> = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
};

export interface ResolvedConfig {
  spEntityId: string;
  acsUrl: string;
  idpEntityId: string | null;
  ssoUrl: string | null;
  certificates: readonly string[];
  /** sp.decryptionKeys, as PEM texts; empty when none is configured. */
  decryptionKeys: readonly string[];
  /** sp.encryptionCertificate as one canonical PEM, or null. */
  encryptionCertificate: string | null;
  allowTripleDes: boolean;
  requireSignedResponse: boolean;
  requireSignedAssertion: boolean;
  /** A full format URI, or null for 'any'. */
  nameIdFormat: string | null;
  allowIdpInitiated: boolean;
  clockSkewMs: number;
  maxBodyBytes: number;
  allowSha1: boolean;
  minRsaKeyBits: number;
  xmlLimits: XmlLimits;
  maxRelayStateBytes: number;
  replayStoreTimeoutMs: number;
  rejectExpiredCertificates: boolean;
  replayStore: ReplayStore;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

let processReplayStore: ReplayStore | undefined;
const resolved = new WeakMap<object, { snapshot: unknown[]; result: ResolvedConfig }>();

/**
 * The resolved config. It is cached per config object while the values it was made of stay the
 * same: each call compares a flat snapshot of the config's values (a few dozen reads, well under a
 * microsecond) with the cached one, so replacing idp.certificates (say, removing a compromised
 * certificate) or changing the policy on the same object takes effect at the next call.
 */
export function resolveConfig(config: SamlConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw configError('config must be an object with sp and idp settings', config);
  }
  const snapshot: unknown[] = [];
  snapshotOf(config, snapshot, 0);
  const cached = resolved.get(config);
  if (cached !== undefined && sameValues(cached.snapshot, snapshot)) return cached.result;
  const result = resolveFresh(config);
  resolved.set(config, { snapshot, result });
  return result;
}

/** Every key and value of a config, depth first; the replay store and other non-plain values by identity. */
function snapshotOf(value: object, out: unknown[], depth: number): void {
  const keys = Object.keys(value);
  out.push(Array.isArray(value) ? 'array' : 'object', keys.length);
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    out.push(key);
    if (depth < 3 && key !== 'replayStore' && typeof v === 'object' && v !== null && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      snapshotOf(v, out, depth + 1);
    } else {
      out.push(v);
    }
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const CONFIG_KEYS = ['sp', 'idp', 'policy', 'replayStore'] as const;
const SP_KEYS = ['entityId', 'acsUrl', 'decryptionKeys', 'encryptionCertificate'] as const;
const IDP_KEYS = ['entityId', 'ssoUrl', 'certificates'] as const;
const POLICY_KEYS = [
  'requireSignedResponse',
  'requireSignedAssertion',
  'nameIdFormat',
  'allowIdpInitiated',
  'clockSkewSeconds',
  'maxBodyBytes',
  'allowSha1',
  'minRsaKeyBits',
  'xmlLimits',
  'maxRelayStateBytes',
  'replayStoreTimeoutMs',
  'rejectExpiredCertificates',
  'allowRsa15KeyTransport',
  'allowTripleDes',
] as const;

function resolveFresh(config: SamlConfig): ResolvedConfig {
  // A misspelt key would silently leave its setting at the default: every key must be known.
  onlyKnownKeys(config as unknown as Record<string, unknown>, 'config', CONFIG_KEYS);
  const sp = onlyKnownKeys(objectField(config.sp, 'sp'), 'sp', SP_KEYS);
  const idp = onlyKnownKeys(objectField(config.idp, 'idp'), 'idp', IDP_KEYS);
  const policy = config.policy === undefined ? {} : onlyKnownKeys(objectField(config.policy, 'policy'), 'policy', POLICY_KEYS);

  const spEntityId = requiredString(sp.entityId, 'sp.entityId', 'the SP Entity ID (Okta "Audience URI", Microsoft Entra ID "Identifier (Entity ID)")');
  const acsUrl = url(requiredString(sp.acsUrl, 'sp.acsUrl', 'the Assertion Consumer Service URL'), 'sp.acsUrl');
  const idpEntityId = optionalString(idp.entityId, 'idp.entityId');
  const ssoUrlText = optionalString(idp.ssoUrl, 'idp.ssoUrl');
  const ssoUrl = ssoUrlText === null ? null : url(ssoUrlText, 'idp.ssoUrl');

  const certs = idp.certificates;
  const certificates = typeof certs === 'string' ? [certs] : certs;
  if (!Array.isArray(certificates) || certificates.length === 0 || certificates.some((c) => typeof c !== 'string' || c.trim() === '')) {
    throw new SamlError(
      'CONFIG_INVALID',
      `idp.certificates must be a PEM certificate or a non-empty array of them; got ${describe(certs)}.`,
      idpHint('Paste the IdP signing certificate', '"X.509 Certificate"', '"Certificate (Base64)"', '.'),
    );
  }

  const decryptionKeys = pemList(sp.decryptionKeys, 'sp.decryptionKeys', 'the SP\'s RSA private key (PEM) or an array of them');
  // Read like idp.certificates (any pasted form); published by createSpMetadata for the IdP to encrypt to.
  let encryptionCertificate: string | null = null;
  if (sp.encryptionCertificate !== undefined) {
    const read = typeof sp.encryptionCertificate === 'string' ? certificateDer(sp.encryptionCertificate) : null;
    if (read === null || 'problem' in read) {
      throw configError(`sp.encryptionCertificate must be one certificate (PEM), the certificate of sp.decryptionKeys${read === null ? '' : `, and it ${read.problem}`}`, sp.encryptionCertificate);
    }
    encryptionCertificate = derToPem(read.der);
  }
  if (policy.allowRsa15KeyTransport === true) {
    throw new SamlError(
      'CONFIG_INVALID',
      'Invalid configuration: policy.allowRsa15KeyTransport is true, but saml-core never decrypts RSA PKCS#1 v1.5 key transport (xmlenc#rsa-1_5): WebCrypto has no such decryption, Node refuses it (the Marvin attack, CVE-2023-46809), and no implementation available in every runtime is constant-time (docs/encryption.md).',
      idpHint('Remove policy.allowRsa15KeyTransport and have the IdP wrap the key with RSA-OAEP', 'Key Transport Algorithm = RSA-OAEP', 'RSA-OAEP is the default', '.'),
    );
  }
  bool(policy.allowRsa15KeyTransport, 'policy.allowRsa15KeyTransport', false);

  const format = policy.nameIdFormat === undefined ? 'emailAddress' : requiredString(policy.nameIdFormat, 'policy.nameIdFormat', 'a NameID format URI or "any"');
  const replayStore = config.replayStore ?? (processReplayStore ??= createMemoryReplayStore());
  if (typeof replayStore !== 'object' || replayStore === null || typeof replayStore.remember !== 'function') {
    throw configError('replayStore must have a remember(key, expiresAt) method', replayStore);
  }

  return {
    spEntityId,
    acsUrl,
    idpEntityId,
    ssoUrl,
    certificates: Object.freeze([...certificates]),
    decryptionKeys,
    encryptionCertificate,
    allowTripleDes: bool(policy.allowTripleDes, 'policy.allowTripleDes', false),
    requireSignedResponse: bool(policy.requireSignedResponse, 'policy.requireSignedResponse', true),
    requireSignedAssertion: bool(policy.requireSignedAssertion, 'policy.requireSignedAssertion', true),
    nameIdFormat: format === 'any' ? null : (NAMEID_FORMATS[format] ?? format),
    allowIdpInitiated: bool(policy.allowIdpInitiated, 'policy.allowIdpInitiated', true),
    clockSkewMs: count(policy.clockSkewSeconds, 'policy.clockSkewSeconds', 60, 0) * 1000,
    maxBodyBytes: count(policy.maxBodyBytes, 'policy.maxBodyBytes', DEFAULT_MAX_BODY_BYTES, 1),
    allowSha1: bool(policy.allowSha1, 'policy.allowSha1', false),
    minRsaKeyBits: count(policy.minRsaKeyBits, 'policy.minRsaKeyBits', 2048, 1024),
    xmlLimits: xmlLimits(policy.xmlLimits),
    maxRelayStateBytes: count(policy.maxRelayStateBytes, 'policy.maxRelayStateBytes', 80, 1),
    replayStoreTimeoutMs: timerMs(policy.replayStoreTimeoutMs, 'policy.replayStoreTimeoutMs', 5000),
    rejectExpiredCertificates: bool(policy.rejectExpiredCertificates, 'policy.rejectExpiredCertificates', false),
    replayStore,
  };
}

/** An optional PEM or non-empty array of PEMs; none is an empty list. */
function pemList(value: unknown, name: string, what: string): readonly string[] {
  if (value === undefined) return Object.freeze([]);
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw configError(`${name} must be ${what}`, value);
  }
  return Object.freeze([...(list as string[])]);
}

function xmlLimits(value: unknown): XmlLimits {
  if (value === undefined) return DEFAULT_XML_LIMITS;
  const given = onlyKnownKeys(objectField(value, 'policy.xmlLimits'), 'policy.xmlLimits', Object.keys(DEFAULT_XML_LIMITS));
  const limits: XmlLimits = { ...DEFAULT_XML_LIMITS };
  for (const key of Object.keys(given)) {
    const name = key as keyof XmlLimits;
    const n = count(given[name], `policy.xmlLimits.${name}`, DEFAULT_XML_LIMITS[name], 1);
    if (!Number.isInteger(n)) throw configError(`policy.xmlLimits.${name} must be an integer`, n);
    limits[name] = n;
  }
  return Object.freeze(limits);
}

export function onlyKnownKeys(value: Record<string, unknown>, name: string, known: readonly string[]): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const nearest = nearestKey(key, known);
    throw new SamlError(
      'CONFIG_INVALID',
      `Invalid configuration: ${name} has no key ${show(key)}${nearest === null ? '' : ` (did you mean ${show(nearest)}?)`}; the known keys are ${known.join(', ')}.`,
    );
  }
  return value;
}

/** The known key closest to `key` by edit distance (case-insensitive), if it is close enough to be a typo. */
function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  if (a.length > 100 || b.length > 100) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

function objectField(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(`${name} must be an object`, value);
  }
  return value as Record<string, unknown>;
}

function requiredString(value: unknown, name: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(`${name} must be a non-empty string (${what})`, value);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') throw configError(`${name} must be a non-empty string when set`, value);
  return value;
}

function url(value: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw configError(`${name} must be an absolute http(s) URL`, value);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw configError(`${name} must be an absolute http(s) URL`, value);
  }
  if (value !== value.trim()) throw configError(`${name} must not have surrounding white space`, value);
  return value;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw configError(`${name} must be true or false`, value);
  return value;
}

function count(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw configError(`${name} must be a number >= ${min}`, value);
  }
  return value;
}

/** A timer's milliseconds: setTimeout fires at once for more than 2^31 - 1, which would refuse every login. */
function timerMs(value: unknown, name: string, fallback: number): number {
  const ms = count(value, name, fallback, 1);
  if (ms > MAX_TIMER_MS) throw configError(`${name} must be at most ${MAX_TIMER_MS} (about 24.8 days; a timer fires at once beyond it)`, value);
  return ms;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function describe(value: unknown): string {
  if (typeof value === 'string') return show(value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : typeof value;
}

export function configError(expected: string, value: unknown): SamlError {
  return new SamlError('CONFIG_INVALID', `Invalid configuration: ${expected}; got ${describe(value)}.`);
}
