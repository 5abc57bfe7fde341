import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreUnavailableError } from '../../errors.ts';
import { UsernameTakenError } from '../types.ts';
import { guard, isUnavailableError, isUniqueViolation } from './guard.ts';

/** An error shaped as `pg` shapes them: a message, and a SQLSTATE or errno code. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), { code });

describe('postgres errors that mean "cannot answer" become StoreUnavailableError', () => {
  test('server states: shutdown, timeouts, too many clients, connection classes', () => {
    for (const code of [
      '57P01',
      '57P02',
      '57P03',
      '57014',
      '55P03',
      '53300',
      '53200',
      '08006',
      '08001',
      '58030',
    ]) {
      assert.equal(isUnavailableError(pgError('x', code)), true, code);
    }
  });

  test('socket failures and pg’s code-less messages', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']) {
      assert.equal(isUnavailableError(pgError('x', code)), true, code);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Query read timeout',
      'Cannot use a pool after calling end on the pool',
    ]) {
      assert.equal(isUnavailableError(pgError(message)), true, message);
    }
    const both = new AggregateError([pgError('a', 'ECONNREFUSED'), pgError('b', 'ECONNREFUSED')]);
    assert.equal(isUnavailableError(both), true);
  });

  test('statement errors are the caller’s: constraints, syntax, deadlocks', () => {
    for (const code of ['23505', '23503', '23514', '42601', '42P01', '22P02', '40P01', '40001']) {
      assert.equal(isUnavailableError(pgError('x', code)), false, code);
    }
    assert.equal(isUnavailableError(new TypeError('x')), false);
    assert.equal(isUnavailableError(null), false);
  });

  test('guard rethrows unavailability with the driver error as its cause, and nothing else', async () => {
    const refused = pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    await assert.rejects(
      guard(() => Promise.reject(refused)),
      (error: unknown) =>
        error instanceof StoreUnavailableError &&
        error.cause === refused &&
        /ECONNREFUSED/.test(error.message),
    );
    const taken = new UsernameTakenError('alice');
    await assert.rejects(
      guard(() => Promise.reject(taken)),
      (error: unknown) => error === taken,
    );
    assert.equal(await guard(async () => 42), 42);
  });

  test('unique violations, optionally on one constraint', () => {
    const dup = Object.assign(pgError('duplicate key', '23505'), { constraint: 'users_username_key' });
    assert.equal(isUniqueViolation(dup), true);
    assert.equal(isUniqueViolation(dup, 'users_username_key'), true);
    assert.equal(isUniqueViolation(dup, 'sessions_pkey'), false);
    assert.equal(isUniqueViolation(pgError('fk', '23503')), false);
  });
});
