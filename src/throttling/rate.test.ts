import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { parseRate } from './rate.ts';

test("only the period's first letter counts, as in DRF", () => {
  assert.deepEqual(parseRate('3/sec'), { requests: 3, seconds: 1 });
  assert.deepEqual(parseRate('100/day'), { requests: 100, seconds: 86400 });
  assert.deepEqual(parseRate('5/minute'), { requests: 5, seconds: 60 });
  assert.deepEqual(parseRate('5/min'), { requests: 5, seconds: 60 });
  assert.deepEqual(parseRate('5/m'), { requests: 5, seconds: 60 });
  assert.deepEqual(parseRate('1000/hour'), { requests: 1000, seconds: 3600 });
  assert.deepEqual(parseRate('1/s'), { requests: 1, seconds: 1 });
});

test('"5/mango" is five a minute', () => {
  assert.deepEqual(parseRate('5/mango'), { requests: 5, seconds: 60 });
});

test('"10/5m" is refused at start-up with a ConfigurationError, never a 4xx', () => {
  assert.throws(() => parseRate('10/5m'), ConfigurationError);
});

test('other malformed rates are refused', () => {
  for (const rate of [
    '',
    '5',
    '/min',
    'five/min',
    '5/',
    '5/x',
    '5/min/2',
    '-1/min',
    '1.5/min',
    '5 per minute',
    '5/2-sec',
  ]) {
    assert.throws(() => parseRate(rate), ConfigurationError, JSON.stringify(rate));
  }
});

test('the error names the bad rate, so the operator can find it', () => {
  assert.throws(() => parseRate('10/5m'), /"10\/5m"/);
});
