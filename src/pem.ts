/**
 * normalizeCertificate, public: what an admin pastes → one PEM certificate. The reading itself is
 * certificates.ts's, which idp.certificates and metadata go through too.
 */
import { PASTE_CERTIFICATE, certificateDer, derToPem } from './certificates.js';
import { SamlError } from './errors.js';

/**
 * What an admin pastes → one PEM certificate, as `idp.certificates` takes it: a PEM block in any
 * wrapping, the base64 body alone, or DER bytes. Throws CONFIG_INVALID naming the mistake.
 */
export function normalizeCertificate(input: string | Uint8Array): string {
  const result = certificateDer(input);
  if ('problem' in result) {
    throw new SamlError('CONFIG_INVALID', `The certificate ${result.problem}.`, PASTE_CERTIFICATE);
  }
  return derToPem(result.der);
}

