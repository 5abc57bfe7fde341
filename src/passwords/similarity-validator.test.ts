import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import {
  exceedsMaximumLengthRatio,
  quickRatio,
  UserAttributeSimilarityValidator,
} from './similarity-validator.ts';

// Django's auth_tests.test_validators.UserAttributeSimilarityValidatorTest user.
const user = {
  username: 'testclient',
  email: 'testclient@example.com',
  firstName: 'Test',
  lastName: 'Client',
};

describe('UserAttributeSimilarityValidator', () => {
  test("quickRatio equals Python's SequenceMatcher.quick_ratio", () => {
    const cases: [string, string, number][] = [
      ['testclient', 'client', 0.75],
      ['testclient', 'testclient@example.com', 0.625],
      ['example.com', 'example', 0.7777777777777778],
      ['abcd', 'dcba', 1],
      ['aab', 'abb', 0.6666666666666666],
      ['', 'abc', 0],
      ['', '', 1],
      ['пароль', 'пароль123', 0.8],
      ['😀😀a', '😀b', 0.4],
    ];
    for (const [a, b, expected] of cases) assert.equal(quickRatio(a, b), expected, `${a} / ${b}`);
  });

  test('exceeds_maximum_length_ratio skips values ten times shorter than the password', () => {
    assert.equal(exceedsMaximumLengthRatio('a'.repeat(100), 0.7, 'ab'), true);
    assert.equal(exceedsMaximumLengthRatio('a'.repeat(19), 0.7, 'ab'), false);
    assert.equal(exceedsMaximumLengthRatio('testclient', 0.7, 'testclient'), false);
  });

  test("Django's test_validate cases", () => {
    const v = new UserAttributeSimilarityValidator();
    assert.equal(v.validate('testclient', {}), null);
    assert.deepEqual(v.validate('testclient', user), {
      code: 'password_too_similar',
      message: 'The password is too similar to the username.',
    });
    assert.equal(
      v.validate('example.com', user)?.message,
      'The password is too similar to the email address.',
    );
    const firstName03 = new UserAttributeSimilarityValidator({
      userAttributes: ['firstName'],
      maxSimilarity: 0.3,
    });
    assert.equal(
      firstName03.validate('testclient', user)?.message,
      'The password is too similar to the first name.',
    );
    const firstName1 = new UserAttributeSimilarityValidator({
      userAttributes: ['firstName'],
      maxSimilarity: 1,
    });
    assert.equal(
      firstName1.validate('Test', user)?.message,
      'The password is too similar to the first name.',
    );
    assert.throws(() => new UserAttributeSimilarityValidator({ maxSimilarity: 0.09 }), ConfigurationError);
    assert.throws(() => new UserAttributeSimilarityValidator({ maxSimilarity: 0.09 }), {
      message: 'max_similarity must be at least 0.1',
    });
    assert.equal(
      new UserAttributeSimilarityValidator({ userAttributes: ['firstName'] }).validate('testclient', user),
      null,
    );
  });

  test('PWD-05: the username or email local part with a short suffix is too similar', () => {
    const v = new UserAttributeSimilarityValidator();
    assert.equal(v.validate('TestClient2025', user)?.code, 'password_too_similar');
    const email = { email: 'johnsmith@example.com' };
    assert.equal(
      v.validate('JohnSmith1', email)?.message,
      'The password is too similar to the email address.',
    );
    assert.equal(v.validate('Client!', user)?.message, 'The password is too similar to the username.');
    // Django's ratio, not containment: a long password around the username passes, and a
    // dotted local part is compared piece by piece ('jane', 'doe'), so 'jane.doe1' passes too.
    assert.equal(v.validate('testclient-is-me-2025!', user), null);
    assert.equal(v.validate('jane.doe1', { email: 'jane.doe@example.com' }), null);
  });
});
