import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommonPasswordValidator, commonPasswords } from './common-password-validator.ts';

describe('CommonPasswordValidator', () => {
  test("the built-in list has at least Django's 20,000 entries, all lowercased and stripped", () => {
    const list = commonPasswords();
    assert.ok(list.size >= 20_000, `${list.size} entries`);
    for (const p of list) assert.equal(p, p.toLowerCase().trim());
    assert.equal(commonPasswords(), list, 'loaded once');
  });

  test("Django's test_validate: a-safe-password passes, godzilla is too common", () => {
    const v = new CommonPasswordValidator();
    assert.equal(v.validate('a-safe-password'), null);
    assert.deepEqual(v.validate('godzilla'), {
      code: 'password_too_common',
      message: 'This password is too common.',
    });
  });

  test('PWD-05: the comparison is on password.lower().strip()', () => {
    const v = new CommonPasswordValidator();
    for (const p of ['password1234', '123456789012', 'GODZILLA', '  Godzilla\t', 'iloveyou', 'qwertyuiop']) {
      assert.equal(v.validate(p)?.message, 'This password is too common.', p);
    }
    assert.equal(v.validate('god zilla'), null);
  });

  test("Django's test_validate_custom_list", () => {
    const v = new CommonPasswordValidator({ passwords: ['from-my-custom-list', '  Gatehouse2025!  '] });
    assert.equal(v.validate('a-safe-password'), null);
    assert.equal(v.validate('godzilla'), null);
    assert.equal(v.validate('from-my-custom-list')?.code, 'password_too_common');
    assert.equal(v.validate('gatehouse2025!')?.message, 'This password is too common.');
  });
});
