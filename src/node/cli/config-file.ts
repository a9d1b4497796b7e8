/**
 * --config FILE.json: the SamlConfig as JSON. Every certificate and key field may be the PEM text
 * or { "file": "okta.pem" }, a path relative to the config file's folder:
 *   idp.certificates (one or a list), sp.decryptionKeys (one or a list), sp.encryptionCertificate.
 * Everything else is passed to the core as written, which checks it (CONFIG_INVALID names the field).
 * A shape this reader does not take is a UsageError naming the field.
 */
import { dirname, resolve } from 'node:path';
import type { SamlConfig } from '../../index.js';
import { readFileOrThrow } from './input.js';
import { UsageError, kindOf, quote } from './usage.js';

export function readConfigFile(path: string): SamlConfig {
  const text = readFileOrThrow(path, '--config file').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new UsageError(`--config ${quote(path)}: expected the SamlConfig as JSON; it is not valid JSON: ${(error as Error).message}`);
  }
  return configFromJson(json, path);
}

export function configFromJson(json: unknown, path: string): SamlConfig {
  const where = `--config ${quote(path)}`;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${where}: expected a JSON object { sp, idp, policy? }; got ${kindOf(json)}`);
  const config = { ...(json as Record<string, unknown>) };
  const sp = config.sp;
  const idp = config.idp;
  if (typeof sp !== 'object' || sp === null || Array.isArray(sp)) throw new UsageError(`${where}: sp must be an object { entityId, acsUrl, decryptionKeys?, encryptionCertificate? }; got ${kindOf(sp)}`);
  if (typeof idp !== 'object' || idp === null || Array.isArray(idp)) throw new UsageError(`${where}: idp must be an object { entityId?, ssoUrl?, certificates }; got ${kindOf(idp)}`);
  if ('replayStore' in config) throw new UsageError(`${where}: replayStore cannot be given in JSON; every check run uses a fresh in-memory store`);
  const folder = dirname(resolve(path));
  const pem = (value: unknown, field: string): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const file = (value as { file?: unknown }).file;
      if (keys.length === 1 && typeof file === 'string' && file !== '') return readFileOrThrow(resolve(folder, file), `${field} file`).toString('utf8');
    }
    throw new UsageError(`${where}: ${field} must be a PEM string or { "file": "name.pem" }; got ${kindOf(value)}`);
  };
  const oneOrList = (value: unknown, field: string): string | string[] => (Array.isArray(value) ? value.map((v, i) => pem(v, `${field}[${i}]`)) : pem(value, field));

  const idpOut = { ...(idp as Record<string, unknown>) };
  if (!('certificates' in idpOut)) throw new UsageError(`${where}: idp.certificates is missing (a PEM string, { "file": "idp.pem" }, or a list of them)`);
  idpOut.certificates = oneOrList(idpOut.certificates, 'idp.certificates');
  const spOut = { ...(sp as Record<string, unknown>) };
  if ('decryptionKeys' in spOut) spOut.decryptionKeys = oneOrList(spOut.decryptionKeys, 'sp.decryptionKeys');
  if ('encryptionCertificate' in spOut) spOut.encryptionCertificate = pem(spOut.encryptionCertificate, 'sp.encryptionCertificate');
  return { ...config, sp: spOut, idp: idpOut } as unknown as SamlConfig;
}
