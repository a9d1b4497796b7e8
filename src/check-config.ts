/**
 * checkConfig: the "Update" step of an SSO settings page. Before any login round trip it checks
 * what the admin pasted (throws CONFIG_INVALID on errors, exactly as validateResponse would) and
 * reports what can be checked without the IdP: each certificate's subject, fingerprint, validity
 * and key size, and warnings for settings that work but deserve a look.
 */
import { loadVerificationKeys } from './certificates.js';
import { resolveConfig } from './config.js';
import { loadDecryptionKeys } from './private-keys.js';
import { SamlError } from './errors.js';
import type { SamlConfig } from './types.js';

export interface CertificateInfo {
  /** Its position in idp.certificates. */
  index: number;
  subject: string;
  issuer: string;
  /** SHA-256 of the DER, uppercase hex pairs joined by colons (as Okta and Entra ID show it). */
  sha256Fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  keyBits: number;
  /** Expired at `now`. */
  expired: boolean;
}

export type ConfigWarningCode =
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_EXPIRES_SOON'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'IDP_ENTITY_ID_MISSING'
  | 'IDP_SSO_URL_MISSING'
  | 'ACS_URL_NOT_HTTPS';

export interface ConfigWarning {
  code: ConfigWarningCode;
  /** The config field it concerns, e.g. `idp.certificates[0]`. */
  field: string;
  message: string;
}

export interface CheckConfigResult {
  warnings: ConfigWarning[];
  certificates: CertificateInfo[];
}

const DAY = 86_400_000;
/** A certificate this close to its end gets a warning: time enough to roll it over. */
const EXPIRES_SOON_DAYS = 30;

export async function checkConfig(config: SamlConfig, options: { now?: Date } = {}): Promise<CheckConfigResult> {
  const now = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : NaN;
  if (!Number.isFinite(now)) throw new SamlError('INVALID_INPUT', 'Expected options.now to be a valid Date.');
  const cfg = resolveConfig(config);
  const keys = await loadVerificationKeys(cfg.certificates, cfg.minRsaKeyBits);
  await loadDecryptionKeys(cfg.decryptionKeys, cfg.minRsaKeyBits);
  const warnings: ConfigWarning[] = [];
  const certificates = keys.map((key, index): CertificateInfo => {
    const field = `idp.certificates[${index}]`;
    const end = new Date(key.notAfter).toISOString();
    if (key.notAfter <= now) {
      warnings.push({
        code: 'CERTIFICATE_EXPIRED',
        field,
        message: `${field} (${key.subject}) expired on ${end}. It still verifies signatures (SAML uses it as a key carrier) unless policy.rejectExpiredCertificates is true; check that the IdP still signs with it, or paste its current certificate.`,
      });
    } else if (key.notAfter - now <= EXPIRES_SOON_DAYS * DAY) {
      warnings.push({
        code: 'CERTIFICATE_EXPIRES_SOON',
        field,
        message: `${field} (${key.subject}) expires on ${end}, in ${Math.ceil((key.notAfter - now) / DAY)} days; add the IdP's next certificate beside it before the IdP switches.`,
      });
    }
    if (key.notBefore > now) {
      warnings.push({ code: 'CERTIFICATE_NOT_YET_VALID', field, message: `${field} (${key.subject}) is valid only from ${new Date(key.notBefore).toISOString()}.` });
    }
    return {
      index,
      subject: key.subject,
      issuer: key.issuer,
      sha256Fingerprint: key.sha256Fingerprint,
      notBefore: new Date(key.notBefore),
      notAfter: new Date(key.notAfter),
      keyBits: key.modulusBits,
      expired: key.notAfter <= now,
    };
  });
  if (cfg.idpEntityId === null) {
    warnings.push({
      code: 'IDP_ENTITY_ID_MISSING',
      field: 'idp.entityId',
      message: 'idp.entityId is not set, so the issuer is not pinned: any IdP holding a configured certificate is accepted. Set it to the IdP\'s issuer (Okta: "Identity Provider Issuer"; Microsoft Entra ID: "Microsoft Entra Identifier").',
    });
  }
  if (cfg.ssoUrl === null) {
    warnings.push({ code: 'IDP_SSO_URL_MISSING', field: 'idp.ssoUrl', message: 'idp.ssoUrl is not set, so only IdP-initiated logins work (createAuthnRequest needs it).' });
  }
  if (new URL(cfg.acsUrl).protocol === 'http:') {
    warnings.push({
      code: 'ACS_URL_NOT_HTTPS',
      field: 'sp.acsUrl',
      message: `sp.acsUrl ${cfg.acsUrl} is http:, so the SAMLResponse and the session cookie travel unencrypted (and a SameSite=None cookie needs Secure); use https: outside local development.`,
    });
  }
  return { warnings, certificates };
}
