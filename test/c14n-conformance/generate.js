// Records how xmlsec1 (libxml2's exclusive C14N, an implementation independent of saml-core and of
// xml-crypto) canonicalizes documents built to reach every rule of Exclusive XML Canonicalization
// 1.0: xmlsec1 signs each case's element `#apex` with an enveloped signature, exclusive C14N and the
// case's PrefixList, and the DigestValue it writes is the SHA-256 of its canonical form.
// test/c14n-conformance.test.js then requires saml-core's canonical form to have that digest.
//
//   node test/c14n-conformance/generate.js     # rewrites test/c14n-conformance/cases.json
//
// Needs xmlsec1 (apt-get install -y xmlsec1). The recorded file is committed; tests never run xmlsec1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const key = new URL('../../vectors/keys/okta.key.pem', import.meta.url).pathname;

// Each case: a document whose element with ID="apex" is the signed subset; `prefixes` is the
// InclusiveNamespaces PrefixList ([] for none). The Signature template is added as the apex's last child.
const CASES = [
  {
    name: 'an ancestor default namespace is not rendered on a prefixed apex; an unprefixed child renders it',
    prefixes: [],
    xml: '<r xmlns="urn:default" xmlns:p="urn:p"><p:apex ID="apex"><child>text</child></p:apex></r>',
  },
  {
    name: 'an unprefixed apex renders the default namespace it inherits',
    prefixes: [],
    xml: '<r xmlns="urn:default"><apex ID="apex"><child/></apex></r>',
  },
  {
    name: 'xmlns="" is rendered under a rendered default namespace, and only there',
    prefixes: [],
    xml: '<apex xmlns="urn:default" ID="apex"><a xmlns=""><b xmlns=""/></a><p:c xmlns:p="urn:p" xmlns=""><d/></p:c></apex>',
  },
  {
    name: 'a prefix redeclared to another namespace is rendered again; a redundant redeclaration is not',
    prefixes: [],
    xml: '<p:apex xmlns:p="urn:one" ID="apex"><p:a xmlns:p="urn:two"><p:b xmlns:p="urn:one"/></p:a><p:c xmlns:p="urn:one"/></p:apex>',
  },
  {
    name: 'a declaration the element does not use is not rendered',
    prefixes: [],
    xml: '<apex xmlns:unused="urn:unused" xmlns:q="urn:q" ID="apex"><a xmlns:also="urn:also"><q:b/></a></apex>',
  },
  {
    name: 'a prefix used only by an attribute is rendered on that element',
    prefixes: [],
    xml: '<r xmlns:q="urn:q"><apex ID="apex"><a q:attr="1"><b q:attr="2"/></a></apex></r>',
  },
  {
    name: 'attributes sort by namespace URI (none first), then local name, not by prefix',
    prefixes: [],
    xml: '<apex xmlns:b="urn:a" xmlns:a="urn:b" ID="apex" a:x="3" b:y="2" z="1" b:a="4" c="0"/>',
  },
  {
    name: 'namespace declarations sort by prefix in code point order (upper case first)',
    prefixes: [],
    xml: '<apex xmlns:b="urn:b" xmlns:B="urn:B" xmlns:a="urn:a" xmlns:A="urn:A" ID="apex" b:x="1" B:x="2" a:x="3" A:x="4"/>',
  },
  {
    name: 'a PrefixList prefix inherited from outside the subset is rendered on the apex',
    prefixes: ['xs'],
    xml: '<r xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:other="urn:other"><apex ID="apex"><v>xs:string</v></apex></r>',
  },
  {
    name: 'a PrefixList prefix is rendered where declared, used or not, and not again below',
    prefixes: ['xs', 'xsi'],
    xml: '<apex ID="apex"><a xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><b xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:string">v</b></a></apex>',
  },
  {
    name: "an attribute's local name in the PrefixList declares nothing",
    prefixes: ['type'],
    xml: '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><apex ID="apex"><v xsi:type="xs:string">v</v></apex></r>',
  },
  {
    name: '#default in the PrefixList renders the inherited default namespace on a prefixed apex',
    prefixes: ['#default'],
    xml: '<r xmlns="urn:default" xmlns:p="urn:p"><p:apex ID="apex"><p:a xmlns="urn:other"/><p:b xmlns=""/></p:apex></r>',
  },
  {
    name: 'text escapes &, <, > and carriage return; white space and quotes stay',
    prefixes: [],
    xml: '<apex ID="apex">a &amp; b &lt; c &gt; d "e" \'f\' \tg&#13;h\n<t>]]&gt;</t></apex>',
  },
  {
    name: 'attribute values escape &, <, ", tab, line feed and carriage return; > and apostrophe stay',
    prefixes: [],
    xml: '<apex ID="apex" a="x &amp; y &lt; z &gt; w" b=\'say "hi" it&apos;s\' c="t&#9;n&#10;r&#13;end"/>',
  },
  {
    name: 'a CDATA section is rendered as escaped text',
    prefixes: [],
    xml: '<apex ID="apex"><![CDATA[<b>&amp; "x"</b>]]>after</apex>',
  },
  {
    name: 'comments are dropped, empty elements get an end tag, character references are resolved',
    prefixes: [],
    xml: '<apex ID="apex"><!-- gone --><a/><b></b>&#x41;&#66;<!-- gone too --></apex>',
  },
  {
    name: 'xml:* attributes of ancestors are not inherited; the apex keeps its own, sorted by namespace',
    prefixes: [],
    xml: '<r xml:lang="fr" xml:space="preserve"><apex ID="apex" xml:lang="en" z="1" xmlns:q="urn:zzz" q:a="2"><a xml:space="default"/></apex></r>',
  },
  {
    name: 'non-ASCII names and values are rendered as they are',
    prefixes: [],
    xml: '<apex xmlns:ü="urn:u" ID="apex" ü:ä="Zoë Ångström" attr="名前 😀"><ü:élément>Ünïcödé 😀 text</ü:élément></apex>',
  },
  {
    name: 'a SAML Assertion inside a Response, with PrefixList xs (the Okta shape)',
    prefixes: ['xs'],
    xml:
      '<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="r">' +
      '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="apex"><saml2:Issuer>http://www.okta.com/x</saml2:Issuer>' +
      '<saml2:AttributeStatement><saml2:Attribute Name="email"><saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">a@b.c</saml2:AttributeValue>' +
      '</saml2:Attribute></saml2:AttributeStatement></saml2:Assertion></saml2p:Response>',
  },
];

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';

function template(prefixes) {
  const list = prefixes.length === 0 ? '' : `<ec:InclusiveNamespaces xmlns:ec="${EXC}" PrefixList="${prefixes.join(' ')}"/>`;
  return (
    `<ds:Signature xmlns:ds="${DS}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC}"/>` +
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#apex"><ds:Transforms>' +
    `<ds:Transform Algorithm="${DS}enveloped-signature"/><ds:Transform Algorithm="${EXC}">${list}</ds:Transform></ds:Transforms>` +
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>' +
    '<ds:SignatureValue></ds:SignatureValue></ds:Signature>'
  );
}

/** The template inserted as the last child of the element with ID="apex". */
function withTemplate(xml, prefixes) {
  const open = xml.match(/<([\w:]+)[^>]*\sID="apex"[^>]*?(\/?)>/u);
  if (!open) throw new Error('no apex');
  const [tag, name, selfClosing] = open;
  const at = open.index + tag.length;
  if (selfClosing) return `${xml.slice(0, open.index)}${tag.slice(0, -2)}>${template(prefixes)}</${name}>${xml.slice(at)}`;
  const close = xml.indexOf(`</${name}>`, at);
  return `${xml.slice(0, close)}${template(prefixes)}${xml.slice(close)}`;
}

/** The qualified `[namespace:]localName` xmlsec1's --id-attr wants for the apex element. */
function apexNode(xml) {
  const [, name] = xml.match(/<([\w:\u00c0-\uffff]+)[^>]*\sID="apex"/u);
  const [prefix, local] = name.includes(':') ? name.split(':') : ['', name];
  const declaration = new RegExp(prefix ? `xmlns:${prefix}="([^"]*)"` : 'xmlns="([^"]*)"', 'u');
  const uri = xml.slice(0, xml.indexOf(' ID="apex"')).match(new RegExp(declaration.source, 'gu'))?.pop()?.match(declaration)?.[1] ?? '';
  return uri ? `${uri}:${local}` : local;
}

const dir = mkdtempSync(join(tmpdir(), 'c14n-'));
try {
  const cases = CASES.map(({ name, prefixes, xml }) => {
    const input = join(dir, 'in.xml');
    const output = join(dir, 'out.xml');
    writeFileSync(input, `<?xml version="1.0" encoding="UTF-8"?>\n${withTemplate(xml, prefixes)}`);
    execFileSync('xmlsec1', ['--sign', '--privkey-pem', key, '--id-attr:ID', apexNode(xml), '--output', output, input], { stdio: ['ignore', 'ignore', 'inherit'] });
    const signed = readFileSync(output, 'utf8');
    const digest = signed.match(/<ds:DigestValue>([^<]+)<\/ds:DigestValue>/)[1];
    return { name, prefixes, xml: signed, digest };
  });
  writeFileSync(join(here, 'cases.json'), `${JSON.stringify({ generator: 'test/c14n-conformance/generate.js', xmlsec1: execFileSync('xmlsec1', ['--version'], { encoding: 'utf8' }).trim(), cases }, null, 2)}\n`);
  console.log(`${cases.length} cases recorded with xmlsec1`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
