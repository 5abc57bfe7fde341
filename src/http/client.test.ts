import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientInfo } from './client.ts';

const spoofing = {
  'x-forwarded-for': '0.0.0.0, 1.1.1.1, 2.2.2.2',
  'x-real-ip': '6.6.6.6',
  'cf-connecting-ip': '7.7.7.7',
  forwarded: 'for=8.8.8.8;proto=https',
  'x-forwarded-proto': 'https',
};

test('AUTH-07: with trustProxy off, forwarded headers are ignored: the peer is the client', () => {
  assert.deepEqual(clientInfo({ peer: '3.3.3.3', headers: spoofing, encrypted: false, trustProxy: false }), {
    clientAddress: '3.3.3.3',
    secure: false,
  });
});

test("AUTH-07: with trustProxy on, the rightmost X-Forwarded-For entry (our proxy's) is the client", () => {
  const info = clientInfo({ peer: '10.0.0.2', headers: spoofing, encrypted: false, trustProxy: true });
  assert.equal(info.clientAddress, '2.2.2.2');
});

test('AUTH-07: rotating the leftmost X-Forwarded-For value does not change the identity (XffSpoofingTests)', () => {
  const ids = ['0.0.0.0, 1.1.1.1, 2.2.2.2', '4.4.4.4, 5.5.5.5, 2.2.2.2', '9.9.9.9,2.2.2.2'].map(
    (xff) =>
      clientInfo({
        peer: '10.0.0.2',
        headers: { 'x-forwarded-for': xff },
        encrypted: false,
        trustProxy: true,
      }).clientAddress,
  );
  assert.deepEqual(ids, ['2.2.2.2', '2.2.2.2', '2.2.2.2']);
});

test('unique clients behind the proxy are counted apart (XffUniqueMachinesTest)', () => {
  const info = clientInfo({
    peer: '10.0.0.2',
    headers: { 'x-forwarded-for': '0.0.0.0, 1.1.1.1, 7.7.7.7' },
    encrypted: false,
    trustProxy: true,
  });
  assert.equal(info.clientAddress, '7.7.7.7');
});

test('several X-Forwarded-For headers are one list: the last entry of the last header counts', () => {
  const info = clientInfo({
    peer: '10.0.0.2',
    headers: { 'x-forwarded-for': ['6.6.6.6', '1.1.1.1, 2.2.2.2'] },
    encrypted: false,
    trustProxy: true,
  });
  assert.equal(info.clientAddress, '2.2.2.2');
});

test('with trustProxy on but no X-Forwarded-For, the peer is the client', () => {
  for (const headers of [{}, { 'x-forwarded-for': '' }, { 'x-forwarded-for': ' , ' }]) {
    assert.equal(
      clientInfo({ peer: '10.0.0.2', headers, encrypted: false, trustProxy: true }).clientAddress,
      '10.0.0.2',
    );
  }
});

test('X-Real-IP, CF-Connecting-IP and Forwarded are never read', () => {
  const { 'x-forwarded-for': _, ...others } = spoofing;
  assert.equal(
    clientInfo({ peer: '10.0.0.2', headers: others, encrypted: false, trustProxy: true }).clientAddress,
    '10.0.0.2',
  );
});

test('X-Forwarded-Proto sets the HTTPS flag only behind a trusted proxy', () => {
  const headers = { 'x-forwarded-proto': 'https' };
  assert.equal(clientInfo({ peer: '10.0.0.2', headers, encrypted: false, trustProxy: false }).secure, false);
  assert.equal(clientInfo({ peer: '10.0.0.2', headers, encrypted: false, trustProxy: true }).secure, true);
  assert.equal(
    clientInfo({
      peer: '10.0.0.2',
      headers: { 'x-forwarded-proto': 'http' },
      encrypted: true,
      trustProxy: true,
    }).secure,
    false,
    'the proxy speaks for the client connection',
  );
});

test('a TLS socket is secure without any proxy', () => {
  assert.equal(clientInfo({ peer: '3.3.3.3', headers: {}, encrypted: true, trustProxy: false }).secure, true);
});

test('an IPv4-mapped peer is reported as plain IPv4', () => {
  assert.equal(
    clientInfo({ peer: '::ffff:192.0.2.1', headers: {}, encrypted: false, trustProxy: false }).clientAddress,
    '192.0.2.1',
  );
  assert.equal(
    clientInfo({ peer: '2001:db8::1', headers: {}, encrypted: false, trustProxy: false }).clientAddress,
    '2001:db8::1',
  );
});

test('an unknown peer is the empty address', () => {
  assert.equal(
    clientInfo({ peer: undefined, headers: {}, encrypted: false, trustProxy: false }).clientAddress,
    '',
  );
});
