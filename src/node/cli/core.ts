// TEMPORARY until the core's inspectResponse lands on main: the contract's types, and stubs.
import type { ReplayStore, ResponseBody, SamlAssertion, SamlConfig, SamlError, SamlErrorCode, ValidateOptions } from '../../index.js';

export interface InspectOptions extends ValidateOptions { replayStore?: ReplayStore }
export interface CheckResult { id: string; title: string; status: 'pass' | 'fail' | 'not-run'; expected?: string; actual?: string; message?: string; hint?: string; code?: SamlErrorCode; verified: boolean }
export interface DocumentSummary {
  verified: { response: boolean; assertion: boolean };
  encrypted: boolean;
  responseId: string | null; issuer: string | null; destination: string | null; inResponseTo: string | null;
  issueInstant: string | null;
  status: string | null; statusMessage: string | null;
  assertionId: string | null; assertionIssuer: string | null; nameId: string | null; nameIdFormat: string | null;
  audiences: string[]; recipient: string | null; notBefore: string | null; notOnOrAfter: string | null;
  attributes: Record<string, string[]>;
  signatures: { on: string; signatureAlgorithm: string | null; digestAlgorithm: string | null; canonicalization: string | null; referenceUri: string | null; keyInfoCertificateSha256: string | null }[];
}
export interface InspectResult { ok: boolean; assertion: SamlAssertion | null; error: SamlError | null; checks: CheckResult[]; document: DocumentSummary | null }

export async function inspectResponse(_config: SamlConfig, _body: ResponseBody, _options?: InspectOptions): Promise<InspectResult> {
  throw new Error('inspectResponse has not landed yet');
}
export function summarizeResponseXml(_xml: string): DocumentSummary {
  throw new Error('summarizeResponseXml has not landed yet');
}
