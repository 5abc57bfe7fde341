import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iriToUri } from './iri-to-uri.ts';

test("issue 8.6: iriToUri encodes exactly as Django's iri_to_uri", () => {
  // Printed by Debian's Django 3.2.25: /usr/bin/python3 -c 'from django.utils.encoding import iri_to_uri; …'
  const django: [string, string][] = [
    ['/中', '/%E4%B8%AD'],
    ['/I ♥ Django/', '/I%20%E2%99%A5%20Django/'],
    ['/blog/for/Jürgen Münster/', '/blog/for/J%C3%BCrgen%20M%C3%BCnster/'],
    ['red%09rosé#red', 'red%09ros%C3%A9#red'],
    ['/?q=a b&c=d#frag ment', '/?q=a%20b&c=d#frag%20ment'],
    ['/%E4%B8%AD/already-encoded/%zz', '/%E4%B8%AD/already-encoded/%zz'],
    [
      ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
      "%20!%22#$%&'()*+,-./0123456789:;%3C=%3E?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[%5C]%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~",
    ],
    ['\x00\x01\t\n\r\x1f\x7f', '%00%01%09%0A%0D%1F%7F'],
    ['\x80\xa0\xff', '%C2%80%C2%A0%C3%BF'],
    ['/😀/\u{10ffff}', '/%F0%9F%98%80/%F4%8F%BF%BF'],
    ['\u2028\u3000\ufeff', '%E2%80%A8%E3%80%80%EF%BB%BF'],
    ['/\\evil.example', '/%5Cevil.example'],
    ['', ''],
  ];
  for (const [iri, uri] of django) assert.equal(iriToUri(iri), uri, JSON.stringify(iri));
});

test('issue 8.6: a lone surrogate (Python raises UnicodeEncodeError) becomes U+FFFD, never a throw', () => {
  assert.equal(iriToUri('/\ud800x'), '/%EF%BF%BDx');
  assert.equal(iriToUri('/\udc00'), '/%EF%BF%BD');
  assert.equal(iriToUri('/\ud83d'), '/%EF%BF%BD');
});

test('issue 8.6: the result is always a valid Latin-1 header value', () => {
  for (const iri of ['/中', '/\u0100', '\r\n Set-Cookie: x=1', '/😀']) {
    assert.match(iriToUri(iri), /^[\x21-\x7e]*$/);
  }
});
