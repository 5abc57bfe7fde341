import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSoftAuthenticator } from '../../test/helpers/soft-authenticator.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import {
  authenticationOptions,
  credentialIdOf,
  type NewPasskey,
  registrationOptions,
  userHandleOf,
  verifyAuthentication,
  verifyRegistration,
} from './webauthn.ts';

const ORIGIN = 'https://example.com';
const RP = { expectedOrigins: [ORIGIN], expectedRpId: 'example.com' };
const USER = { id: '42', username: 'alice' };

async function register(authenticator = createSoftAuthenticator({ origin: ORIGIN })) {
  const options = await registrationOptions({
    rpId: 'example.com',
    rpName: 'Gatehouse',
    user: USER,
    random: cryptoRandom,
  });
  const response = authenticator.create(options);
  const result = await verifyRegistration({ response, expectedChallenge: options.challenge, ...RP });
  assert.ok(result.verified, result.verified ? '' : result.error);
  return { authenticator, passkey: result.passkey, response };
}

function stored(passkey: NewPasskey, counter = passkey.counter) {
  return { id: passkey.credentialId, publicKey: passkey.publicKey, counter, transports: passkey.transports };
}

async function login(
  authenticator: ReturnType<typeof createSoftAuthenticator>,
  passkey: NewPasskey,
  counter = 0,
) {
  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const response = authenticator.get(options);
  return verifyAuthentication({
    response,
    expectedChallenge: options.challenge,
    ...RP,
    credential: stored(passkey, counter),
  });
}

test('registration options: the JSON creation options dj-rest-auth sends, challenge from the injected randomness', async () => {
  const fixed: Random = { bytes: (n) => Buffer.alloc(n, 7), string: () => '' };
  const options = await registrationOptions({
    rpId: 'example.com',
    rpName: 'Gatehouse',
    user: USER,
    excludeCredentials: [{ id: 'AQIDBA', transports: ['usb'] }, { id: 'BQYHCA' }],
    random: fixed,
  });
  assert.deepEqual(JSON.parse(JSON.stringify(options)), {
    challenge: Buffer.alloc(32, 7).toString('base64url'),
    rp: { name: 'Gatehouse', id: 'example.com' },
    user: { id: 'NDI', name: 'alice', displayName: 'alice' }, // 'NDI' is base64url of "42"
    pubKeyCredParams: [
      { alg: -8, type: 'public-key' },
      { alg: -7, type: 'public-key' },
      { alg: -257, type: 'public-key' },
    ],
    timeout: 300000,
    attestation: 'none',
    excludeCredentials: [
      { id: 'AQIDBA', transports: ['usb'], type: 'public-key' },
      { id: 'BQYHCA', type: 'public-key' },
    ],
    authenticatorSelection: {
      residentKey: 'preferred',
      userVerification: 'preferred',
      requireResidentKey: false,
    },
    extensions: { credProps: true },
    hints: [],
  });
});

test('authentication options: request options for any discoverable passkey, or the listed ones', async () => {
  const fixed: Random = { bytes: (n) => Buffer.alloc(n, 1), string: () => '' };
  const open = await authenticationOptions({ rpId: 'example.com', random: fixed });
  assert.deepEqual(JSON.parse(JSON.stringify(open)), {
    rpId: 'example.com',
    challenge: Buffer.alloc(32, 1).toString('base64url'),
    allowCredentials: [],
    timeout: 300000,
    userVerification: 'preferred',
  });
  const listed = await authenticationOptions({
    rpId: 'example.com',
    allowCredentials: [{ id: 'AQIDBA', transports: ['internal'] }],
    random: cryptoRandom,
  });
  assert.deepEqual(listed.allowCredentials, [{ id: 'AQIDBA', transports: ['internal'], type: 'public-key' }]);
  assert.notEqual(listed.challenge, open.challenge);
});

test('a passkey registers and then signs in, end to end with a software authenticator', async () => {
  const { authenticator, passkey, response } = await register();
  assert.equal(passkey.credentialId, response.id);
  assert.match(passkey.credentialId, /^[A-Za-z0-9_-]{22}$/);
  assert.ok(passkey.publicKey instanceof Uint8Array && passkey.publicKey.length > 64);
  assert.equal(passkey.counter, 0);
  assert.deepEqual(passkey.transports, ['internal', 'hybrid']);
  assert.equal(passkey.discoverable, true);
  assert.equal(passkey.backedUp, false);
  assert.equal(passkey.multiDevice, false);
  assert.equal(passkey.userVerified, true);
  assert.equal(passkey.aaguid, '00000000-0000-0000-0000-000000000000');

  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const assertion = authenticator.get(options);
  assert.equal(credentialIdOf(assertion), passkey.credentialId);
  assert.equal(userHandleOf(assertion), '42', 'a discoverable passkey names its user');
  const result = await verifyAuthentication({
    response: assertion,
    expectedChallenge: options.challenge,
    ...RP,
    credential: stored(passkey),
    expectedUserHandle: '42',
  });
  assert.deepEqual(result, {
    verified: true,
    credentialId: passkey.credentialId,
    newCounter: 1,
    userVerified: true,
    backedUp: false,
    multiDevice: false,
  });
});

test('a non-discoverable security key without user verification still works through the username flow', async () => {
  const authenticator = createSoftAuthenticator({
    origin: ORIGIN,
    discoverable: false,
    userVerification: false,
  });
  const { passkey } = await register(authenticator);
  assert.equal(passkey.discoverable, false);
  assert.equal(passkey.userVerified, false);
  const options = await authenticationOptions({
    rpId: 'example.com',
    allowCredentials: [{ id: passkey.credentialId, transports: passkey.transports }],
    random: cryptoRandom,
  });
  const assertion = authenticator.get(options);
  assert.equal(userHandleOf(assertion), null);
  const result = await verifyAuthentication({
    response: assertion,
    expectedChallenge: options.challenge,
    ...RP,
    credential: stored(passkey),
    expectedUserHandle: '42',
  });
  assert.ok(result.verified);
  assert.equal(result.userVerified, false);
});

test('a synced passkey reports itself backed up', async () => {
  const { passkey } = await register(createSoftAuthenticator({ origin: ORIGIN, backedUp: true }));
  assert.equal(passkey.backedUp, true);
  assert.equal(passkey.multiDevice, true);
});

test('registration from another origin, for another challenge or for another RP id is refused', async () => {
  const options = await registrationOptions({
    rpId: 'example.com',
    rpName: 'Gatehouse',
    user: USER,
    random: cryptoRandom,
  });
  const authenticator = createSoftAuthenticator({ origin: ORIGIN });
  const attempts = {
    origin: authenticator.create(options, { origin: 'https://evil.example' }),
    challenge: authenticator.create(options, { challenge: Buffer.alloc(32, 9).toString('base64url') }),
    rpId: authenticator.create(options, { rpId: 'evil.example' }),
  };
  const errors: Record<string, string> = {};
  for (const [name, response] of Object.entries(attempts)) {
    const result = await verifyRegistration({ response, expectedChallenge: options.challenge, ...RP });
    assert.equal(result.verified, false, name);
    errors[name] = result.verified ? '' : result.error;
  }
  assert.equal(
    errors.origin,
    'Unexpected response origin "https://evil.example", expected one of: https://example.com',
  );
  assert.match(errors.challenge, /^Unexpected registration response challenge /);
  assert.equal(errors.rpId, 'Unexpected RP ID hash');
  // The same response is fine where it belongs.
  const good = authenticator.create(options);
  assert.ok(
    (await verifyRegistration({ response: good, expectedChallenge: options.challenge, ...RP })).verified,
  );
});

test('login from another origin, for another challenge or for another RP id is refused', async () => {
  const { authenticator, passkey } = await register();
  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const cases = {
    origin: authenticator.get(options, { origin: 'https://evil.example' }),
    challenge: authenticator.get(options, { challenge: Buffer.alloc(32, 9).toString('base64url') }),
    rpId: authenticator.get(options, { rpId: 'evil.example' }),
  };
  const errors: Record<string, string> = {};
  for (const [name, response] of Object.entries(cases)) {
    const result = await verifyAuthentication({
      response,
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(passkey),
    });
    assert.equal(result.verified, false, name);
    errors[name] = result.verified ? '' : result.error;
  }
  assert.equal(
    errors.origin,
    'Unexpected response origin "https://evil.example", expected one of: https://example.com',
  );
  assert.match(errors.challenge, /^Unexpected authentication response challenge /);
  assert.equal(errors.rpId, 'Unexpected RP ID hash');
  // A server that expects another RP id refuses a genuine assertion for this one.
  const genuine = authenticator.get(options);
  const elsewhere = await verifyAuthentication({
    response: genuine,
    expectedChallenge: options.challenge,
    expectedOrigins: [ORIGIN],
    expectedRpId: 'other.example',
    credential: stored(passkey),
  });
  assert.deepEqual(elsewhere, { verified: false, error: 'Unexpected RP ID hash' });
});

test('a cloned authenticator is caught by its counter, and so is a replayed assertion', async () => {
  const { authenticator, passkey } = await register();
  const clone = authenticator.clone();
  const first = await login(authenticator, passkey, 0);
  assert.ok(first.verified);
  assert.equal(first.newCounter, 1);
  // The clone signs with the same key and the counter it was copied with: 1 again.
  const cloned = await login(clone, passkey, first.newCounter);
  assert.deepEqual(cloned, { verified: false, error: 'Response counter value 1 was lower than expected 1' });
  // The genuine authenticator moves on.
  const second = await login(authenticator, passkey, first.newCounter);
  assert.ok(second.verified);
  assert.equal(second.newCounter, 2);

  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const assertion = authenticator.get(options);
  const verify = (counter: number) =>
    verifyAuthentication({
      response: assertion,
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(passkey, counter),
    });
  const once = await verify(2);
  assert.ok(once.verified);
  assert.equal((await verify(once.newCounter)).verified, false, 'the same assertion twice');
});

test('an assertion is checked against the passkey it names, with the key stored for it', async () => {
  const a = await register();
  const b = await register();
  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const byA = a.authenticator.get(options, { credentialId: a.passkey.credentialId });
  assert.deepEqual(
    await verifyAuthentication({
      response: byA,
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(b.passkey),
    }),
    { verified: false, error: 'Credential ID does not match the stored passkey' },
  );
  // Relabelled as B's credential, A's signature does not verify under B's key.
  const relabelled = { ...byA, id: b.passkey.credentialId, rawId: b.passkey.credentialId };
  assert.deepEqual(
    await verifyAuthentication({
      response: relabelled,
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(b.passkey),
    }),
    { verified: false, error: 'Signature could not be verified' },
  );
  // A user handle that names someone else is refused.
  assert.deepEqual(
    await verifyAuthentication({
      response: a.authenticator.get(options),
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(a.passkey),
      expectedUserHandle: '43',
    }),
    { verified: false, error: 'User handle does not match the owner of the passkey' },
  );
});

test('a tampered signature or authenticator data is refused', async () => {
  const { authenticator, passkey } = await register();
  const options = await authenticationOptions({ rpId: 'example.com', random: cryptoRandom });
  const assertion = authenticator.get(options);
  const signature = Buffer.from(assertion.response.signature, 'base64url');
  signature[signature.length - 1] ^= 1;
  const badSignature = {
    ...assertion,
    response: { ...assertion.response, signature: signature.toString('base64url') },
  };
  const data = Buffer.from(assertion.response.authenticatorData, 'base64url');
  data[data.length - 1] += 1; // a counter the authenticator did not sign
  const badData = {
    ...assertion,
    response: { ...assertion.response, authenticatorData: data.toString('base64url') },
  };
  for (const response of [badSignature, badData]) {
    const result = await verifyAuthentication({
      response,
      expectedChallenge: options.challenge,
      ...RP,
      credential: stored(passkey),
    });
    assert.equal(result.verified, false);
  }
});

test('malformed credentials are refused with a reason, never an exception', async () => {
  const options = await registrationOptions({
    rpId: 'example.com',
    rpName: 'Gatehouse',
    user: USER,
    random: cryptoRandom,
  });
  const good = createSoftAuthenticator({ origin: ORIGIN }).create(options);
  const garbage = Buffer.from('not cbor at all').toString('base64url');
  const cases: [unknown, string | RegExp][] = [
    [null, 'Credential is not an object'],
    [[good], 'Credential is not an object'],
    ['{"id":"x"}', 'Credential is not an object'],
    [{}, 'Missing or malformed credential ID'],
    [{ ...good, id: 'a'.repeat(2000), rawId: 'a'.repeat(2000) }, 'Missing or malformed credential ID'],
    [{ ...good, id: 'has space', rawId: 'has space' }, 'Missing or malformed credential ID'],
    [{ ...good, rawId: 'AAAA' }, 'Credential ID and rawId differ'],
    [{ ...good, type: 'password' }, 'Credential type is not public-key'],
    [{ ...good, response: 'x' }, 'Credential has no response'],
    [{ ...good, response: { ...good.response, clientDataJSON: 42 } }, 'Missing or malformed clientDataJSON'],
    [
      { ...good, response: { ...good.response, attestationObject: 'x'.repeat(70_000) } },
      'Missing or malformed attestationObject',
    ],
    [{ ...good, response: { ...good.response, transports: 'usb' } }, 'Malformed transports'],
    [{ ...good, clientExtensionResults: [] }, 'Malformed clientExtensionResults'],
    [{ ...good, response: { ...good.response, attestationObject: garbage } }, /./],
    [{ ...good, response: { ...good.response, clientDataJSON: garbage } }, /./],
  ];
  for (const [response, expected] of cases) {
    const result = await verifyRegistration({ response, expectedChallenge: options.challenge, ...RP });
    assert.equal(result.verified, false, JSON.stringify(response)?.slice(0, 80));
    if (!result.verified) {
      if (typeof expected === 'string') assert.equal(result.error, expected);
      else assert.match(result.error, expected);
      assert.ok(result.error.length <= 200);
    }
  }
  const { passkey } = await register();
  const credential = stored(passkey);
  for (const response of [
    null,
    {},
    { id: passkey.credentialId, rawId: passkey.credentialId, type: 'public-key', response: {} },
  ]) {
    const result = await verifyAuthentication({
      response,
      expectedChallenge: options.challenge,
      ...RP,
      credential,
    });
    assert.equal(result.verified, false);
  }
  assert.equal(credentialIdOf({ id: 42 }), null);
  assert.equal(userHandleOf({ response: { userHandle: '!!' } }), null);
});

test('the client-reported transports are kept only when they are known ones', async () => {
  const options = await registrationOptions({
    rpId: 'example.com',
    rpName: 'Gatehouse',
    user: USER,
    random: cryptoRandom,
  });
  const response = createSoftAuthenticator({ origin: ORIGIN }).create(options);
  response.response.transports = ['usb', 'usb', 'carrier-pigeon', 'nfc', 7 as unknown as string];
  const result = await verifyRegistration({ response, expectedChallenge: options.challenge, ...RP });
  assert.ok(result.verified);
  assert.deepEqual(result.passkey.transports, ['usb', 'nfc']);
});
