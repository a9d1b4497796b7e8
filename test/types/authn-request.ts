// What createAuthnRequest's types allow and refuse (compiled by test/readme-types.test.js): each
// result has its binding's field as a plain value, and only that one. An @ts-expect-error that no
// longer meets an error fails the compilation, so loosening a type fails the test.
import { createAuthnRequest, type AuthnRequestOptions, type SamlConfig } from 'saml-core';

declare const config: SamlConfig;
declare const binding: 'redirect' | 'post';

const redirect = await createAuthnRequest(config, { relayState: '/dashboard' });
const url: string = redirect.redirectUrl;
// @ts-expect-error the redirect binding has no form
redirect.form.html;

const explicit = await createAuthnRequest(config, { binding: 'redirect', forceAuthn: true });
const url2: string = explicit.redirectUrl;

const post = await createAuthnRequest(config, { binding: 'post' });
const html: string = post.form.html;
const fields: Record<string, string> = post.form.fields;
// @ts-expect-error the POST binding has no redirect URL
const none: string = post.redirectUrl;

// A binding known only at run time: the union, told apart by its fields.
const options: AuthnRequestOptions = { binding };
const either = await createAuthnRequest(config, options);
// @ts-expect-error not known to be the redirect binding
const maybe: string = either.redirectUrl;
if (either.redirectUrl !== undefined) {
  const narrowed: string = either.redirectUrl;
} else {
  const narrowedHtml: string = either.form.html;
}

// @ts-expect-error no such binding
await createAuthnRequest(config, { binding: 'artifact' });
// @ts-expect-error a misspelt option
await createAuthnRequest(config, { forceAuth: true });

export { url, url2, html, fields, none, maybe };
