import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDjangoDateTime } from './django-datetime.ts';

test("Django's SQLite datetimes (naive UTC text) become epoch milliseconds, microseconds truncated", () => {
  assert.equal(parseDjangoDateTime('2026-12-06 01:45:43.450237'), Date.UTC(2026, 11, 6, 1, 45, 43, 450));
  assert.equal(parseDjangoDateTime('2026-12-07 01:45:50'), Date.UTC(2026, 11, 7, 1, 45, 50));
  assert.equal(parseDjangoDateTime('2026-12-07T01:45:50.9Z'), Date.UTC(2026, 11, 7, 1, 45, 50, 900));
  assert.equal(parseDjangoDateTime('2026-12-07 02:45:50+01:00'), Date.UTC(2026, 11, 7, 1, 45, 50));
  assert.equal(parseDjangoDateTime('2026-12-07 00:15:50-0130'), Date.UTC(2026, 11, 7, 1, 45, 50));
});

test('NULL is null; a number (PostgreSQL epoch milliseconds) passes through', () => {
  assert.equal(parseDjangoDateTime(null), null);
  assert.equal(parseDjangoDateTime(1_765_000_000_123.9), 1_765_000_000_123);
});

test('anything else is NaN: the row is reported, never guessed at', () => {
  for (const value of [
    '',
    'yesterday',
    '2026-02-31 00:00:00',
    '2026-12-06',
    `2026-12-06 01:45:43.${'1'.repeat(40)}`,
    {},
    true,
  ]) {
    assert.ok(Number.isNaN(parseDjangoDateTime(value)), String(value));
  }
});
