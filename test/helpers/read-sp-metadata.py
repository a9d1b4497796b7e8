#!/usr/bin/python3
"""Reads an SP metadata file with two SAML stacks nobody on saml-core wrote, and prints what they saw
as JSON (test/sp-metadata-roundtrip.test.js compares it with the config it was written from).

- pysaml2 (Debian python3-pysaml2): saml2.mdstore.MetadataStore loads the file as an SP would load a
  partner's metadata (it drops an expired validUntil), and its entity, SP role, ACS services,
  organization and contacts are reported as pysaml2 parsed them.
- python3-saml (Debian python3-onelogin-saml2): OneLogin_Saml2_Settings.validate_metadata, its own
  check of an SP metadata document (schema with lxml, one EntityDescriptor with one SPSSODescriptor,
  not expired); the list of errors it finds is reported.

Usage: /usr/bin/python3 test/helpers/read-sp-metadata.py METADATA.xml... (one JSON line per file)
"""
import json
import sys

from onelogin.saml2.settings import OneLogin_Saml2_Settings
from saml2 import attribute_converter
from saml2.config import Config
from saml2.mdstore import MetadataStore


def texts(items):
    return [item['text'] for item in items or []]


def pysaml2_view(path):
    mds = MetadataStore(attribute_converter.ac_factory(), Config(), check_validity=True)
    mds.load('local', path)
    entities = list(mds.keys())
    out = {'entityIds': entities}
    if len(entities) != 1:
        return out
    entity_id = entities[0]
    entity = mds[entity_id]
    roles = entity.get('spsso_descriptor', [])
    out['spRoles'] = len(roles)
    out['idpRoles'] = len(entity.get('idpsso_descriptor', []))
    sp = roles[0]
    out['wantAssertionsSigned'] = sp.get('want_assertions_signed')
    out['authnRequestsSigned'] = sp.get('authn_requests_signed')
    out['protocolSupportEnumeration'] = sp.get('protocol_support_enumeration')
    out['nameIdFormats'] = texts(sp.get('name_id_format'))
    # The ACS endpoints as pysaml2 hands them to an IdP answering this SP: by binding.
    out['acs'] = [
        {'binding': s['binding'], 'location': s['location'], 'index': s.get('index'), 'isDefault': s.get('is_default')}
        for s in mds.assertion_consumer_service(entity_id)
    ]
    out['acsByBinding'] = {
        binding: [s['location'] for s in services]
        for binding, services in mds.service(entity_id, 'spsso_descriptor', 'assertion_consumer_service').items()
    }
    out['validUntil'] = entity.get('valid_until')
    org = entity.get('organization')
    if org is not None:
        out['organization'] = {
            key: [[v['text'], v.get('lang')] for v in org.get(key, [])]
            for key in ('organization_name', 'organization_display_name', 'organization_url')
        }
    out['contacts'] = [
        {
            'type': c.get('contact_type'),
            'company': (c.get('company') or {}).get('text'),
            'givenName': (c.get('given_name') or {}).get('text'),
            'surName': (c.get('sur_name') or {}).get('text'),
            'emailAddresses': texts(c.get('email_address')),
            'telephoneNumbers': texts(c.get('telephone_number')),
        }
        for c in entity.get('contact_person', [])
    ]
    return out


def onelogin_view(xml, entity_id, acs_url):
    settings = OneLogin_Saml2_Settings(
        settings={'strict': True, 'sp': {'entityId': entity_id, 'assertionConsumerService': {'url': acs_url}}},
        sp_validation_only=True,
    )
    return {'errors': settings.validate_metadata(xml)}


def main():
    for path in sys.argv[1:]:
        with open(path, encoding='utf-8') as f:
            xml = f.read()
        seen = pysaml2_view(path)
        # python3-saml's settings need an SP entity and ACS URL of their own; validate_metadata does
        # not compare them with the document.
        print(json.dumps({'pysaml2': seen, 'onelogin': onelogin_view(xml, 'urn:example:checker', 'https://checker.example.com/acs')}, sort_keys=True))


if __name__ == '__main__':
    main()
