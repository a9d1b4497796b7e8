#!/usr/bin/python3
"""An IdP that nobody in this project wrote: Lasso (python3-lasso) or pysaml2 (python3-pysaml2),
Debian's packages, issue a signed SAML Response whose signed Assertion they encrypt to the SP's
certificate. Used by test/independent-encryptors.test.js (run with Debian's /usr/bin/python3).

  independent-idp.py STACK CONTENT TRANSPORT < params.json   (prints the base64 SAMLResponse)

STACK: lasso | pysaml2. CONTENT: aes128-cbc | aes256-cbc | aes128-gcm | aes256-gcm | tripledes-cbc
(what the stack supports). TRANSPORT: rsa-oaep (mgf1p). params.json: idp_entity_id, idp_key,
idp_cert, sp_entity_id, acs_url, sp_cert (PEM texts), name_id, attributes {name: [values]},
request_id.
"""
import base64
import json
import sys
import tempfile

XENC = 'http://www.w3.org/2001/04/xmlenc#'
XENC11 = 'http://www.w3.org/2009/xmlenc11#'
CONTENT_URI = {
    'aes128-cbc': XENC + 'aes128-cbc',
    'aes256-cbc': XENC + 'aes256-cbc',
    'aes128-gcm': XENC11 + 'aes128-gcm',
    'aes256-gcm': XENC11 + 'aes256-gcm',
    'tripledes-cbc': XENC + 'tripledes-cbc',
}
SESSION_KEY = {'aes128-cbc': 'aes-128', 'aes256-cbc': 'aes-256', 'aes128-gcm': 'aes-128', 'aes256-gcm': 'aes-256', 'tripledes-cbc': 'des-192'}


def body(pem):
    return ''.join(line for line in pem.strip().splitlines() if not line.startswith('-----'))


def sp_metadata(p):
    return f'''<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{p['sp_entity_id']}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body(p['sp_cert'])}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{p['acs_url']}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>'''


def idp_metadata(p):
    return f'''<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{p['idp_entity_id']}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body(p['idp_cert'])}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{p['idp_entity_id']}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>'''


def temp(text, suffix):
    f = tempfile.NamedTemporaryFile('w', suffix=suffix, delete=False)
    f.write(text)
    f.close()
    return f.name


def pysaml2_response(p, content):
    import functools
    import saml2.entity
    from saml2 import BINDING_HTTP_POST, saml, sigver
    from saml2.config import IdPConfig
    from saml2.server import Server

    config = IdPConfig()
    config.load({
        'entityid': p['idp_entity_id'],
        'xmlsec_binary': '/usr/bin/xmlsec1',
        'key_file': temp(p['idp_key'], '.key.pem'),
        'cert_file': temp(p['idp_cert'], '.crt.pem'),
        'metadata': {'inline': [sp_metadata(p)]},
        'service': {'idp': {
            'endpoints': {'single_sign_on_service': [(p['idp_entity_id'] + '/sso', BINDING_HTTP_POST)]},
            'policy': {'default': {'lifetime': {'minutes': 5}, 'attribute_restrictions': None, 'name_form': saml.NAME_FORMAT_URI}},
            'name_id_format': [saml.NAMEID_FORMAT_EMAILADDRESS],
        }},
        'accepted_time_diff': 60,
    })
    server = Server(config=config)
    # pysaml2 encrypts with 3DES by default (pre_encryption_part's msg_enc, xmlsec1's des-192 session
    # key); the other algorithms are the same call with its own parameters.
    saml2.entity.pre_encryption_part = functools.partial(sigver.pre_encryption_part, msg_enc=CONTENT_URI[content])
    encrypt = server.sec.encrypt_assertion
    server.sec.encrypt_assertion = lambda *a, **k: encrypt(*a, key_type=SESSION_KEY[content], **k)
    name_id = saml.NameID(format=saml.NAMEID_FORMAT_EMAILADDRESS, text=p['name_id'])
    response = server.create_authn_response(
        identity=p['attributes'],
        in_response_to=p['request_id'],
        destination=p['acs_url'],
        sp_entity_id=p['sp_entity_id'],
        name_id=name_id,
        authn={'class_ref': saml.AUTHN_PASSWORD_PROTECTED, 'authn_auth': p['idp_entity_id']},
        sign_response=True,
        sign_assertion=True,
        encrypt_assertion=True,
        encrypt_cert_assertion=body(p['sp_cert']),
        encrypt_assertion_self_contained=True,
        sign_alg='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        digest_alg='http://www.w3.org/2001/04/xmlenc#sha256',
    )
    return str(response).encode('utf-8')


def lasso_response(p, content):
    import lasso

    server = lasso.Server.newFromBuffers(idp_metadata(p), p['idp_key'], None, p['idp_cert'])
    server.signatureMethod = lasso.SIGNATURE_METHOD_RSA_SHA256
    server.addProviderFromBuffer(lasso.PROVIDER_ROLE_SP, sp_metadata(p))
    provider = server.getProvider(p['sp_entity_id'])
    provider.setEncryptionMode(lasso.ENCRYPTION_MODE_ASSERTION)
    provider.setEncryptionSymKeyType({'aes128-cbc': lasso.ENCRYPTION_SYM_KEY_TYPE_AES_128, 'aes256-cbc': lasso.ENCRYPTION_SYM_KEY_TYPE_AES_256, 'tripledes-cbc': lasso.ENCRYPTION_SYM_KEY_TYPE_3DES}[content])
    if hasattr(provider, 'setKeyEncryptionMethod'):
        provider.setKeyEncryptionMethod(lasso.KEY_ENCRYPTION_METHOD_OAEP)
    login = lasso.Login(server)
    login.initIdpInitiatedAuthnRequest(p['sp_entity_id'])
    login.request.nameIdPolicy.format = lasso.SAML2_NAME_IDENTIFIER_FORMAT_EMAIL
    login.request.protocolBinding = lasso.SAML2_METADATA_BINDING_POST
    login.processAuthnRequestMsg(None)
    login.validateRequestMsg(True, True)
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    at = lambda minutes: (now + datetime.timedelta(minutes=minutes)).strftime('%Y-%m-%dT%H:%M:%SZ')
    login.buildAssertion(lasso.SAML2_AUTHN_CONTEXT_PASSWORD_PROTECTED_TRANSPORT, at(0), None, at(-1), at(5))
    login.assertion.subject.subjectConfirmation.subjectConfirmationData.notOnOrAfter = at(5)
    name_id = lasso.Saml2NameID()
    name_id.format = lasso.SAML2_NAME_IDENTIFIER_FORMAT_EMAIL
    name_id.content = p['name_id']
    login.assertion.subject.nameID = name_id
    statement = lasso.Saml2AttributeStatement()
    attributes = []
    for name, values in p['attributes'].items():
        attribute = lasso.Saml2Attribute()
        attribute.name = name
        attribute.nameFormat = lasso.SAML2_ATTRIBUTE_NAME_FORMAT_BASIC
        nodes = []
        for value in values:
            v = lasso.Saml2AttributeValue()
            text = lasso.MiscTextNode.newWithString(value)
            text.textChild = True
            v.any = (text,)
            nodes.append(v)
        attribute.attributeValue = tuple(nodes)
        attributes.append(attribute)
    statement.attribute = tuple(attributes)
    login.assertion.attributeStatement = (statement,)
    login.buildAuthnResponseMsg()
    return base64.b64decode(login.msgBody)


def main():
    stack, content, transport = sys.argv[1:4]
    if transport != 'rsa-oaep':
        raise SystemExit(f'unsupported transport {transport}')
    p = json.load(sys.stdin)
    xml = pysaml2_response(p, content) if stack == 'pysaml2' else lasso_response(p, content)
    sys.stdout.write(base64.b64encode(xml).decode('ascii'))


if __name__ == '__main__':
    main()
