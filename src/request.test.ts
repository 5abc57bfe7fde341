import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookie, createAuthRequest, header, headerValues, host, mediaType, parseCookies } from './request.ts';

function withCookie(value: string | string[]) {
  return createAuthRequest({
    method: 'GET',
    url: '/',
    headers: { cookie: value },
    clientAddress: '192.0.2.1',
  });
}

test('the method is upper-cased and the path split from the query', () => {
  const req = createAuthRequest({
    method: 'post',
    url: '/api/login/?next=/x&a=1',
    headers: {},
    clientAddress: '192.0.2.1',
  });
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/api/login/');
  assert.equal(req.url, '/api/login/?next=/x&a=1');
  assert.equal(req.query.get('next'), '/x');
  assert.equal(req.secure, false);
  assert.equal(req.rawBody, null);
});

test('an empty url is /', () => {
  const req = createAuthRequest({ method: 'GET', url: '', headers: {}, clientAddress: '' });
  assert.equal(req.url, '/');
  assert.equal(req.path, '/');
});

test('the request is frozen: nothing downstream can rewrite it', () => {
  const req = createAuthRequest({ method: 'GET', url: '/', headers: {}, clientAddress: '192.0.2.1' });
  assert.ok(Object.isFrozen(req));
});

test('header() gives the first value; headerValues() all of them', () => {
  const req = createAuthRequest({
    method: 'GET',
    url: '/',
    headers: { authorization: ['Token a', 'Token b'], accept: 'application/json' },
    clientAddress: '192.0.2.1',
  });
  assert.equal(header(req, 'authorization'), 'Token a');
  assert.deepEqual(headerValues(req, 'authorization'), ['Token a', 'Token b']);
  assert.deepEqual(headerValues(req, 'accept'), ['application/json']);
  assert.deepEqual(headerValues(req, 'x-missing'), []);
  assert.equal(header(req, 'x-missing'), undefined);
});

test('mediaType drops parameters and lower-cases', () => {
  const req = createAuthRequest({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    clientAddress: '192.0.2.1',
  });
  assert.equal(mediaType(req), 'application/json');
  assert.equal(
    mediaType(createAuthRequest({ method: 'POST', url: '/', headers: {}, clientAddress: '' })),
    '',
  );
});

test('mediaType trims spaces around the type and returns an over-long type as sent', () => {
  const of = (value: string) =>
    mediaType(
      createAuthRequest({ method: 'POST', url: '/', headers: { 'content-type': value }, clientAddress: '' }),
    );
  assert.equal(
    of(`${' '.repeat(1000)}application/json${' '.repeat(1000)}; charset=utf-8`),
    'application/json',
  );
  assert.equal(of(`x${' '.repeat(1000)}x`), `x${' '.repeat(1000)}x`);
  // 255 characters is a media type (lower-cased); 256 is not one and comes back as sent.
  assert.equal(of(`Application/${'X'.repeat(243)}`), `application/${'x'.repeat(243)}`);
  assert.equal(of(`Application/${'X'.repeat(244)}`), `Application/${'X'.repeat(244)}`);
});

test('host() is the Host header as sent, port included', () => {
  const req = createAuthRequest({
    method: 'GET',
    url: '/',
    headers: { host: 'api.example.com:8443' },
    clientAddress: '',
  });
  assert.equal(host(req), 'api.example.com:8443');
});

test('cookies split on ";" and trim spaces', () => {
  const jar = parseCookies('csrftoken=abc; sessionid=def;theme=dark');
  assert.deepEqual(
    [...jar],
    [
      ['csrftoken', ['abc']],
      ['sessionid', ['def']],
      ['theme', ['dark']],
    ],
  );
});

test('CK-05: a cookie sent twice is ambiguous and cookie() gives undefined', () => {
  const req = withCookie('sessionid=attacker; sessionid=victim');
  assert.deepEqual(req.cookies.get('sessionid'), ['attacker', 'victim']);
  assert.equal(cookie(req, 'sessionid'), undefined);
});

test('CK-05: even two identical values count as ambiguous', () => {
  assert.equal(cookie(withCookie('sessionid=v; sessionid=v'), 'sessionid'), undefined);
});

test('CK-05: names are not URL-decoded', () => {
  const req = withCookie('__Host%2Dsid=v');
  assert.equal(cookie(req, '__Host-sid'), undefined);
  assert.equal(cookie(req, '__Host%2Dsid'), 'v');
});

test('CK-05: names are case-sensitive', () => {
  const req = withCookie('__host-sid=v');
  assert.equal(cookie(req, '__Host-sid'), undefined);
  assert.equal(cookie(req, '__host-sid'), 'v');
});

test('CK-05: nameless cookies are ignored and cannot smuggle a name', () => {
  const req = withCookie('=__Host-sid=v; =x; novalue');
  assert.equal(req.cookies.size, 0);
  assert.equal(cookie(req, '__Host-sid'), undefined);
  assert.equal(cookie(req, ''), undefined);
});

test('CK-05: a junk cookie before the session cookie does not hide it', () => {
  const req = withCookie('x=1]"; sessionid=v');
  assert.equal(cookie(req, 'sessionid'), 'v');
  assert.equal(cookie(req, 'x'), '1]"');
});

test('a value keeps everything after the first "="', () => {
  assert.equal(cookie(withCookie('a=b=c=='), 'a'), 'b=c==');
});

test('surrounding double quotes are removed, as SimpleCookie does', () => {
  assert.equal(cookie(withCookie('sessionid=""'), 'sessionid'), '');
  assert.equal(cookie(withCookie('a="quoted"'), 'a'), 'quoted');
  assert.equal(cookie(withCookie('a="'), 'a'), '"');
});

test('several Cookie headers are read as one list', () => {
  const req = withCookie(['a=1', 'sessionid=v']);
  assert.equal(cookie(req, 'a'), '1');
  assert.equal(cookie(req, 'sessionid'), 'v');
});

test('no Cookie header, no cookies', () => {
  assert.equal(parseCookies(undefined).size, 0);
  assert.equal(parseCookies('').size, 0);
});
