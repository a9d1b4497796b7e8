/**
 * A user profile from the verified assertion's attributes, under the names the common IdPs use:
 * Entra ID and AD FS send claim URIs, Okta and Google the names the admin typed, OneLogin
 * `User.*` parameters, Shibboleth (eduPerson) OIDs. The table and its sources are in
 * docs/profile.md. Values are returned exactly as signed; a field is null when no attribute
 * carries it. It reads only the attributes of the Assertion whose signature was verified.
 */
import { isEmail } from './email.js';
import type { SamlProfile } from '../types.js';

const XMLSOAP = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
const MS_IDENTITY = 'http://schemas.microsoft.com/identity/claims/';

/** Attribute names per field, in order of preference; compared case-insensitively. */
export const PROFILE_ATTRIBUTES: Readonly<Record<keyof SamlProfile, readonly string[]>> = {
  email: [
    `${XMLSOAP}emailaddress`, // Entra ID, AD FS
    'email', // Okta, Google Workspace (admin-named)
    'mail',
    'emailaddress',
    'User.email', // OneLogin
    'urn:oid:0.9.2342.19200300.100.1.3', // eduPerson / inetOrgPerson mail (Shibboleth)
  ],
  firstName: [`${XMLSOAP}givenname`, 'firstName', 'givenName', 'first_name', 'User.FirstName', 'urn:oid:2.5.4.42'],
  lastName: [`${XMLSOAP}surname`, 'lastName', 'surname', 'sn', 'last_name', 'User.LastName', 'urn:oid:2.5.4.4'],
  displayName: [`${MS_IDENTITY}displayname`, 'displayName', 'name', 'User.DisplayName', 'urn:oid:2.16.840.1.113730.3.1.241'],
  groups: [
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', // Entra ID (object IDs or names)
    'http://schemas.xmlsoap.org/claims/Group', // AD FS
    'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', // Entra ID app roles, AD FS roles
    'groups', // Okta, Google Workspace (admin-named)
    'memberOf', // OneLogin
    'urn:oid:1.3.6.1.4.1.5923.1.5.1.1', // isMemberOf (Shibboleth)
  ],
};

const ENTRA_GUEST = '#EXT#';

// The names lower-cased once, for the case-insensitive lookup of every login.
const LOOKUP = Object.fromEntries(Object.entries(PROFILE_ATTRIBUTES).map(([field, names]) => [field, names.map((name) => name.toLowerCase())])) as unknown as Record<keyof SamlProfile, readonly string[]>;

/**
 * `attributes` as signed; `nameId` and its format, for the email. An Entra ID guest's UPN
 * (`name_domain#EXT#@tenant.onmicrosoft.com`) is a valid address but not the person's email: any
 * other email wins over it.
 */
export function readProfile(attributes: Readonly<Record<string, string[]>>, nameId: string, nameIdIsEmail: boolean): SamlProfile {
  const byName = new Map<string, string[]>();
  for (const name of Object.keys(attributes)) {
    const key = name.toLowerCase();
    if (!byName.has(key)) byName.set(key, attributes[name] as string[]);
  }
  const valuesOf = (field: keyof SamlProfile): string[] => {
    const values: string[] = [];
    for (const name of LOOKUP[field]) {
      const found = byName.get(name);
      if (found !== undefined) for (const value of found) values.push(value);
    }
    return values;
  };
  const first = (field: keyof SamlProfile): string | null => valuesOf(field).find((v) => v !== '') ?? null;

  const emails = valuesOf('email').filter(isEmail);
  if (nameIdIsEmail) emails.push(nameId);
  const email = emails.find((e) => !e.includes(ENTRA_GUEST)) ?? emails[0] ?? null;

  const groups = [...new Set(valuesOf('groups').filter((g) => g !== ''))];

  return { email, firstName: first('firstName'), lastName: first('lastName'), displayName: first('displayName'), groups };
}
