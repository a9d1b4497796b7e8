// Configuration: every mistake is CONFIG_INVALID naming the field; the replay store is bounded and atomic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryReplayStore, validateResponse, SamlError } from '../dist/index.js';
import { resolveConfig } from '../dist/config.js';

const good = () => ({
  sp: { entityId: 'https://app.example.com/saml/metadata', acsUrl: 'https://app.example.com/saml/acs' },
  idp: { entityId: 'http://www.okta.com/exk1', ssoUrl: 'https://example.okta.com/sso/saml', certificates: 'x' },
});

function configRejects(mutate, pattern) {
  const config = good();
  mutate(config);
  try {
    resolveConfig(config);
  } catch (error) {
    assert.instance(error, SamlError);
    assert.is(error.code, 'CONFIG_INVALID');
    assert.match(error.message, pattern);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(config)}`);
}

test('config: defaults are the strict policy', () => {
  const c = resolveConfig(good());
  assert.equal(
    [c.requireSignedResponse, c.requireSignedAssertion, c.nameIdFormat, c.allowIdpInitiated, c.clockSkewMs, c.maxBodyBytes, c.allowSha1, c.minRsaKeyBits],
    [true, true, 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', true, 60000, 1048576, false, 2048],
  );
});

test('config: a policy value out of range is quoted in the message (not "got number")', () => {
  configRejects((c) => (c.policy = { minRsaKeyBits: 512 }), /must be a number >= 1024; got 512\./);
  configRejects((c) => (c.policy = { clockSkewSeconds: NaN }), /got NaN\./);
  configRejects((c) => (c.policy = { allowSha1: 1 }), /must be true or false; got 1\./);
});

test('config: a misspelt key anywhere is CONFIG_INVALID naming it and the nearest known key', () => {
  configRejects((c) => (c.policy = { requireSignedResponce: false }), /policy has no key "requireSignedResponce" \(did you mean "requireSignedResponse"\?\)/);
  configRejects((c) => (c.sp.acsURL = 'https://x.example/acs'), /sp has no key "acsURL" \(did you mean "acsUrl"\?\)/);
  configRejects((c) => (c.idp.certificate = 'x'), /idp has no key "certificate" \(did you mean "certificates"\?\)/);
  configRejects((c) => (c.polcy = {}), /config has no key "polcy" \(did you mean "policy"\?\)/);
  configRejects((c) => (c.policy = { xmlLimits: { maxDept: 3 } }), /policy\.xmlLimits has no key "maxDept" \(did you mean "maxDepth"\?\)/);
  // Far from every known key: no suggestion, the known keys are listed.
  configRejects((c) => (c.policy = { colour: 'blue' }), /policy has no key "colour"; the known keys are requireSignedResponse, /);
});

test('config: xmlLimits keys override their default one by one', () => {
  const c = good();
  c.policy = { xmlLimits: { maxDepth: 200 } };
  const limits = resolveConfig(c).xmlLimits;
  assert.is(limits.maxDepth, 200);
  assert.is(limits.maxElements, resolveConfig(good()).xmlLimits.maxElements);
});

test('config: short NameID format names and "any"', () => {
  const c = good();
  c.policy = { nameIdFormat: 'persistent' };
  assert.is(resolveConfig(c).nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  const d = good();
  d.policy = { nameIdFormat: 'any' };
  assert.is(resolveConfig(d).nameIdFormat, null);
});

test('config: each malformed field is CONFIG_INVALID naming it', () => {
  configRejects((c) => delete c.sp, /sp must be an object/);
  configRejects((c) => (c.sp.entityId = ''), /sp\.entityId/);
  configRejects((c) => (c.sp.acsUrl = 'app.example.com/acs'), /sp\.acsUrl must be an absolute http\(s\) URL/);
  configRejects((c) => (c.sp.acsUrl = 'javascript:alert(1)'), /sp\.acsUrl/);
  configRejects((c) => (c.sp.acsUrl = ' https://app.example.com/acs'), /white space/);
  configRejects((c) => (c.idp.ssoUrl = 'not a url'), /idp\.ssoUrl/);
  configRejects((c) => (c.idp.entityId = 42), /idp\.entityId/);
  configRejects((c) => (c.idp.certificates = []), /idp\.certificates/);
  configRejects((c) => (c.idp.certificates = ['ok', 7]), /idp\.certificates/);
  configRejects((c) => (c.policy = { clockSkewSeconds: -1 }), /clockSkewSeconds/);
  configRejects((c) => (c.policy = { maxBodyBytes: Infinity }), /maxBodyBytes/);
  configRejects((c) => (c.policy = { minRsaKeyBits: 512 }), /minRsaKeyBits must be a number >= 1024/);
  configRejects((c) => (c.policy = { allowSha1: 'yes' }), /allowSha1 must be true or false/);
  configRejects((c) => (c.policy = { nameIdFormat: '' }), /nameIdFormat/);
  configRejects((c) => (c.replayStore = {}), /replayStore/);
  configRejects((c) => (c.policy = { maxRelayStateBytes: 0 }), /maxRelayStateBytes must be a number >= 1; got 0/);
  configRejects((c) => (c.policy = { replayStoreTimeoutMs: '5s' }), /replayStoreTimeoutMs must be a number >= 1; got "5s"/);
  configRejects((c) => (c.policy = { replayStoreTimeoutMs: 2 ** 31 }), /replayStoreTimeoutMs must be at most 2147483647 \(about 24\.8 days; a timer fires at once beyond it\); got 2147483648/);
  configRejects((c) => (c.policy = { xmlLimits: { maxDepth: 0 } }), /xmlLimits\.maxDepth must be a number >= 1; got 0/);
  configRejects((c) => (c.policy = { xmlLimits: { maxDepth: 10.5 } }), /xmlLimits\.maxDepth must be an integer; got 10\.5/);
  configRejects((c) => (c.policy = { xmlLimits: { depth: 10 } }), /xmlLimits has no key "depth"/);
  configRejects((c) => (c.policy = { xmlLimits: 64 }), /policy\.xmlLimits must be an object; got 64/);
});

test('config: validateResponse reports a config error before looking at the body', async () => {
  const config = good();
  config.sp.acsUrl = 'nope';
  try {
    await validateResponse(config, 'garbage');
    assert.unreachable();
  } catch (error) {
    assert.is(error.code, 'CONFIG_INVALID');
  }
});

test('config: a non-object config or options is a typed error, never a TypeError', async () => {
  for (const config of [null, undefined, 42, 'x']) {
    try {
      await validateResponse(config, 'SAMLResponse=x');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, SamlError);
      assert.is(error.code, 'CONFIG_INVALID');
    }
  }
});

test('replay store: a key is accepted once until it expires', async () => {
  const store = createMemoryReplayStore();
  const later = new Date(Date.now() + 60_000);
  assert.is(await store.remember('idp\nA', later), true);
  assert.is(await store.remember('idp\nA', later), false);
  assert.is(await store.remember('idp\nB', later), true);
  assert.is(await store.remember('idp\nC', new Date(Date.now() - 1)), true);
  assert.is(await store.remember('idp\nC', later), true, 'an expired key is forgotten');
});

test('replay store: concurrent remembers of one key admit exactly one', async () => {
  const store = createMemoryReplayStore();
  const later = new Date(Date.now() + 60_000);
  const results = await Promise.all(Array.from({ length: 50 }, () => store.remember('k', later)));
  assert.is(results.filter(Boolean).length, 1);
});

test('replay store: memory is bounded by maxEntries, evicting the soonest expiry', async () => {
  const store = createMemoryReplayStore({ maxEntries: 3 });
  const at = (s) => new Date(Date.now() + s * 1000);
  await store.remember('soon', at(10));
  await store.remember('b', at(100));
  await store.remember('c', at(100));
  await store.remember('d', at(100));
  assert.is(await store.remember('b', at(100)), false, 'long-lived keys are kept');
  assert.is(await store.remember('d', at(100)), false);
  assert.is(await store.remember('soon', at(10)), true, 'the soonest-expiring key made room');
});

test('replay store: bad options and bad dates are typed errors', async () => {
  for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
    try {
      createMemoryReplayStore({ maxEntries });
      assert.unreachable();
    } catch (error) {
      assert.is(error.code, 'CONFIG_INVALID');
    }
  }
  try {
    await createMemoryReplayStore().remember('k', new Date('nope'));
    assert.unreachable();
  } catch (error) {
    assert.is(error.code, 'INVALID_INPUT');
  }
});

test.run();
