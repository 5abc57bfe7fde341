import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, decodeRevocation, encodeFrame, encodeRevocation } from './revocation-message.ts';

test('a revocation keeps the wire older versions read, and adds id and from', () => {
  const wire = encodeFrame({
    type: 'revocation',
    message: { kind: 'session', keyHash: 'ab12' },
    id: '7',
    from: 'a1',
  });
  assert.equal(wire, '{"kind":"session","keyHash":"ab12","id":"7","from":"a1"}');
  assert.deepEqual(decodeRevocation(wire), { kind: 'session', keyHash: 'ab12' });
  assert.equal(encodeRevocation({ kind: 'user', userId: 7 }), '{"kind":"user","userId":7}');
});

test('every frame comes back as it went', () => {
  for (const frame of [
    { type: 'revocation', message: { kind: 'token', keyHash: 'cd34' }, id: '1', from: 'a1' },
    { type: 'revocation', message: { kind: 'user', userId: 42 } },
    { type: 'beat', from: 'a1', seq: 0 },
    { type: 'ack', from: 'b2', to: 'a1', id: '9' },
    { type: 'bye', from: 'b2' },
  ] as const) {
    assert.deepEqual(decodeFrame(encodeFrame(frame)), frame);
  }
  assert.equal(encodeFrame({ type: 'beat', from: 'a1', seq: 4 }), '{"kind":"beat","from":"a1","seq":4}');
  assert.equal(
    encodeFrame({ type: 'ack', from: 'b2', to: 'a1', id: '9' }),
    '{"kind":"ack","from":"b2","to":"a1","id":"9"}',
  );
});

test('anything malformed is null (the bus reads it as a lost revocation)', () => {
  for (const payload of [
    'garbage',
    'null',
    '[]',
    '{"kind":"session"}',
    '{"kind":"user","userId":"7"}',
    '{"kind":"beat","from":"a1","seq":-1}',
    '{"kind":"beat","from":"","seq":1}',
    `{"kind":"bye","from":"${'x'.repeat(65)}"}`,
    '{"kind":"ack","from":"b2","id":"9"}',
    '{"kind":"later-version"}',
  ]) {
    assert.equal(decodeFrame(payload), null, payload);
  }
});

test('a revocation with a malformed origin is still a revocation (applied, not acknowledged)', () => {
  assert.deepEqual(decodeFrame('{"kind":"user","userId":3,"id":5,"from":"a1"}'), {
    type: 'revocation',
    message: { kind: 'user', userId: 3 },
  });
});
