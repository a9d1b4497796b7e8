// What createSpMetadata's types allow and refuse (compiled by test/readme-types.test.js). Each
// expected error below that no longer meets one fails the compilation, so loosening a type fails the test.
import { createSpMetadata, type ContactType, type SamlConfig, type SpMetadataContact, type SpMetadataOptions } from 'saml-core';

declare const config: SamlConfig;

const xml: string = createSpMetadata(config);
const full: string = createSpMetadata(config, {
  validUntil: new Date('2030-01-01T00:00:00Z'),
  organization: { name: 'Example', displayName: 'Ex', url: 'https://example.com', lang: 'en' },
  contacts: [{ type: 'technical', company: 'Example', givenName: 'Ann', surName: 'Lee', emailAddresses: ['a@example.com'], telephoneNumbers: ['+1 555'] }],
});
const types: ContactType[] = ['technical', 'support', 'administrative', 'billing', 'other'];
const contact: SpMetadataContact = { type: 'support' };
const options: SpMetadataOptions = { contacts: [contact] };

// @ts-expect-error an organization needs a url
createSpMetadata(config, { organization: { name: 'Example' } });
// @ts-expect-error a contact type outside the schema's list
createSpMetadata(config, { contacts: [{ type: 'security' }] });
// @ts-expect-error validUntil is a Date, not a string
createSpMetadata(config, { validUntil: '2030-01-01T00:00:00Z' });
// @ts-expect-error the result is the document's text
const notAPromise: Promise<string> = createSpMetadata(config);
