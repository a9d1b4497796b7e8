// Mutants of the canonicalizer's security-relevant rules (src/xml/canonicalize.ts); same format as mutations.js.
export const C14N_MUTATIONS = [
  // Canonicalization shared between the two signatures: reused only where it renders the same
  { name: 'reuse needs the same method and PrefixList', file: 'xml/canonicalize.js', from: 'if (rendering.method === this.methodKey && this.rendersTheSame(rendering.outer))', to: 'if (this.rendersTheSame(rendering.outer))' },
  { name: 'reuse refused for a prefix (or the default namespace) bound differently and used', file: 'xml/canonicalize.js', from: "if ((this.rendered.get(outer[i]) ?? '') !== outer[i + 1])", to: 'if (false)' },
  // What the canonical form covers
  { name: 'an attribute is a namespace declaration by its namespace, not its name (xmlnsFoo is rendered)', file: 'xml/canonicalize.js', from: '                plain.push(a);', to: "                if (!a.name.startsWith('xmlns')) plain.push(a);" },
  { name: 'inclusive C14N: the xml:* attributes of the ancestors are inherited onto the apex', file: 'xml/canonicalize.js', from: 'plain.push(...inheritedXmlAttributes(element));', to: ';' },
  { name: 'inclusive C14N: the namespaces declared on the ancestors are rendered on the apex', file: 'xml/canonicalize.js', from: 'for (const ns of ancestorNamespaces(element, null))', to: 'for (const ns of [])' },
  { name: 'a namespace rendered on an element ends with it (undo log)', file: 'xml/canonicalize.js', from: 'for (let i = this.undo.length - 2; i >= mark; i -= 2)', to: 'for (let i = -1; i >= mark; i -= 2)' },
  // Order
  { name: 'attributes sorted by (namespace URI, local name) as a pair, not concatenated', file: 'xml/canonicalize.js', from: "return compareCodePoints(a.namespaceURI ?? '', b.namespaceURI ?? '') || compareCodePoints(a.localName ?? a.name, b.localName ?? b.name);", to: "return compareCodePoints((a.namespaceURI ?? '') + (a.localName ?? a.name), (b.namespaceURI ?? '') + (b.localName ?? b.name));" },
  { name: 'names sorted in code point order, not UTF-16 unit order', file: 'xml/canonicalize.js', from: 'return unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800;', to: 'return unit;' },
];
