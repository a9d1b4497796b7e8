/** The email address syntax every returned email is checked with. */

// RFC 5322 dot-atom local part (Unicode letters allowed, RFC 6531) @ a dotted domain of letters, digits, hyphens.
const EMAIL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value) && (value.split('@')[0] as string).length <= 64;
}
