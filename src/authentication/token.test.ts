import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthenticationFailed } from '../errors.ts';
import { IsAuthenticated } from '../permissions/index.ts';
import { runPipeline } from '../pipeline.ts';
import { responseBody, toResponse } from '../response.ts';
import type { TokenRecord } from '../stores/types.ts';
import { makeRequest, makeUser } from '../testing/index.ts';
import type { TokenService } from '../tokens/token-service.ts';
import type { Authenticator } from '../types.ts';
import { TokenAuthentication } from './token.ts';

// DRF's tests/authentication/test_authentication.py BaseTokenAuthTests, against a fake TokenService.

const KEY = 'abcd1234';

// DRF's fixture user.
const john = makeUser({ username: 'john', email: 'lennon@thebeatles.com' });

const record: TokenRecord = {
  id: 't1',
  keyHash: 'hash',
  userId: 1,
  name: '',
  createdAt: 0,
  lastUsedAt: null,
  expiresAt: null,
};

/** A TokenService stand-in: TokenAuthentication only ever calls resolve(key). */
function fakeTokens(): { service: TokenService; resolved: string[] } {
  const resolved: string[] = [];
  const service = {
    async resolve(key: string) {
      resolved.push(key);
      if (key === 'foobar_token') throw new AuthenticationFailed('User inactive or deleted.');
      return key === KEY ? { token: record, user: john } : null;
    },
  };
  return { service: service as unknown as TokenService, resolved };
}

function withAuthorization(value?: string) {
  return makeRequest('POST', value === undefined ? {} : { authorization: value });
}

async function failure(auth: TokenAuthentication, header: string): Promise<string> {
  try {
    await auth.authenticate(withAuthorization(header));
  } catch (error) {
    assert.ok(error instanceof AuthenticationFailed);
    assert.equal(error.status, 401);
    return (error.body as { detail: string }).detail;
  }
  assert.fail(`${JSON.stringify(header)} was not refused`);
}

test('a valid key authenticates: the user, and the token record as auth', async () => {
  const { service } = fakeTokens();
  const result = await new TokenAuthentication(service).authenticate(withAuthorization(`Token ${KEY}`));
  assert.deepEqual(result, { user: john, auth: record });
});

test('the keyword is case-insensitive', async () => {
  const { service } = fakeTokens();
  const auth = new TokenAuthentication(service);
  for (const keyword of ['token', 'TOKEN', 'ToKeN']) {
    assert.equal((await auth.authenticate(withAuthorization(`${keyword} ${KEY}`)))?.user, john, keyword);
  }
});

test('tabs and several spaces separate the keyword from the key', async () => {
  const { service } = fakeTokens();
  const auth = new TokenAuthentication(service);
  for (const header of [`Token   ${KEY}`, `Token\t${KEY}`, ` Token ${KEY} `]) {
    assert.equal((await auth.authenticate(withAuthorization(header)))?.user, john, JSON.stringify(header));
  }
});

test('"Token" alone: "Invalid token header. No credentials provided."', async () => {
  const { service, resolved } = fakeTokens();
  assert.equal(
    await failure(new TokenAuthentication(service), 'Token'),
    'Invalid token header. No credentials provided.',
  );
  assert.equal(
    await failure(new TokenAuthentication(service), 'Token   '),
    'Invalid token header. No credentials provided.',
  );
  assert.deepEqual(resolved, []);
});

test('"Token a b": "Invalid token header. Token string should not contain spaces."', async () => {
  const { service, resolved } = fakeTokens();
  assert.equal(
    await failure(new TokenAuthentication(service), 'Token foo bar'),
    'Invalid token header. Token string should not contain spaces.',
  );
  assert.deepEqual(resolved, []);
});

test('"Token abcd1234¸" (latin-1 0xB8, invalid UTF-8): "…should not contain invalid characters."', async () => {
  const { service, resolved } = fakeTokens();
  assert.equal(
    await failure(new TokenAuthentication(service), `Token ${KEY}\xb8`),
    'Invalid token header. Token string should not contain invalid characters.',
  );
  assert.deepEqual(resolved, []);
});

test('a key that is valid UTF-8 sent as latin-1 bytes goes on to the lookup', async () => {
  const { service, resolved } = fakeTokens();
  assert.equal(await failure(new TokenAuthentication(service), 'Token caf\xc3\xa9'), 'Invalid token.');
  assert.deepEqual(resolved, ['caf\xc3\xa9']);
});

test('an unknown key: "Invalid token."', async () => {
  const { service } = fakeTokens();
  assert.equal(await failure(new TokenAuthentication(service), 'Token wxyz6789'), 'Invalid token.');
});

test('an inactive user\'s key: "User inactive or deleted."', async () => {
  const { service } = fakeTokens();
  assert.equal(
    await failure(new TokenAuthentication(service), 'Token foobar_token'),
    'User inactive or deleted.',
  );
});

test('another scheme or no header is "not my scheme": null, and the store is not asked', async () => {
  const { service, resolved } = fakeTokens();
  const auth = new TokenAuthentication(service);
  for (const header of [undefined, '', `Bearer ${KEY}`, `Basic ${KEY}`, `Tokens ${KEY}`, `Token${KEY}`]) {
    assert.equal(await auth.authenticate(withAuthorization(header)), null, JSON.stringify(header));
  }
  assert.deepEqual(resolved, []);
});

test('the challenge is the keyword alone, with no realm', () => {
  const { service } = fakeTokens();
  assert.equal(new TokenAuthentication(service).authenticateHeader(), 'Token');
  assert.equal(new TokenAuthentication(service, { keyword: 'Bearer' }).authenticateHeader(), 'Bearer');
});

test("CustomKeywordTokenAuthTests: keyword 'Bearer' accepts Bearer and no longer Token", async () => {
  const { service } = fakeTokens();
  const auth = new TokenAuthentication(service, { keyword: 'Bearer' });
  assert.equal((await auth.authenticate(withAuthorization(`Bearer ${KEY}`)))?.user, john);
  assert.equal((await auth.authenticate(withAuthorization(`bearer ${KEY}`)))?.user, john);
  assert.equal(await auth.authenticate(withAuthorization(`Token ${KEY}`)), null);
  assert.equal(await failure(auth, 'Bearer'), 'Invalid token header. No credentials provided.');
});

test('token authentication does not ask for CSRF', () => {
  const { service } = fakeTokens();
  const auth: Authenticator = new TokenAuthentication(service);
  assert.notEqual(auth.enforcesCsrf, true);
});

test("through the pipeline: a bad key is 401 with WWW-Authenticate: Token and DRF's body", async () => {
  const { service } = fakeTokens();
  const policy = {
    authenticators: [new TokenAuthentication(service)],
    permissions: [IsAuthenticated],
    throttles: [],
  };
  for (const [header, body] of [
    [undefined, '{"detail":"Authentication credentials were not provided."}'],
    ['Token', '{"detail":"Invalid token header. No credentials provided."}'],
    ['Token foo bar', '{"detail":"Invalid token header. Token string should not contain spaces."}'],
    [
      `Token ${KEY}\xb8`,
      '{"detail":"Invalid token header. Token string should not contain invalid characters."}',
    ],
    ['Token wxyz6789', '{"detail":"Invalid token."}'],
  ] as const) {
    const res = await runPipeline(withAuthorization(header), policy).then(
      () => assert.fail('accepted'),
      (error: unknown) => toResponse(error),
    );
    assert.equal(res.status, 401, header);
    assert.equal(res.headers['www-authenticate'], 'Token', header);
    assert.equal(responseBody(res).body, body, header);
  }
});
