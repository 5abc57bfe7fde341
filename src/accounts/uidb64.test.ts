import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeUid, encodeUid } from './uidb64.ts';

// Debian's Django 3.2.25: urlsafe_base64_encode(str(pk).encode()) and
// force_str(urlsafe_base64_decode(uid)), null where that raised.
const ENCODED: [number | bigint | string, string][] = [
  [1, 'MQ'],
  [42, 'NDI'],
  [9007199254740993n, 'OTAwNzE5OTI1NDc0MDk5Mw'],
  ['a3b8f1e2-1c4d-4e5f-8a9b-0c1d2e3f4a5b', 'YTNiOGYxZTItMWM0ZC00ZTVmLThhOWItMGMxZDJlM2Y0YTVi'],
];
const DECODED: Record<string, string | null> = {
  NDI: '42',
  'NDI=': '42',
  'NDI==': '42',
  'NDI===': '42',
  N: null,
  NA: '4',
  NDI0: '424',
  NDI0NQ: '4245',
  'NDI0NQ=': '4245',
  'MQ==garbage': '1',
  'M!Q': '1',
  'M=Q': '1',
  'M=Q==': '1',
  '+/8': null,
  '-_8': null,
  __8: null,
  _w: null,
  '_w==': null,
  _x: null,
  'NDI\n': null,
  'N D I': '42',
  '': '',
  '=': '',
  '==': '',
  'NDI=NDI': '42',
  'TQ=': 'M',
  '7_8': null,
  '4pyT': '✓',
  gA: null,
  wy: null,
  'NDI-NDI': '42>42',
  '5Lit5paH': '中文',
  MTIzNDU2Nzg5MDEyMzQ1Njc4OQ: '1234567890123456789',
  '77u_NDI': '\uFEFF42',
  '7aCA': null,
};

test("encodeUid is Django's urlsafe_base64_encode(force_bytes(pk))", () => {
  for (const [pk, uid] of ENCODED) {
    assert.equal(encodeUid(pk), uid);
    assert.equal(decodeUid(uid), String(pk));
  }
});

test("decodeUid accepts and refuses exactly what Django's urlsafe_base64_decode + force_str do", () => {
  for (const [uid, expected] of Object.entries(DECODED))
    assert.equal(decodeUid(uid), expected, JSON.stringify(uid));
});

test('a uid over 128 characters is refused unread; a non-string is refused', () => {
  assert.equal(decodeUid('NDI'.padEnd(128, '=')), '42');
  assert.equal(decodeUid('NDI'.padEnd(129, '=')), null);
  assert.equal(decodeUid(42 as unknown as string), null);
});
