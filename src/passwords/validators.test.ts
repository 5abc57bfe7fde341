import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { CommonPasswordValidator } from './common-password-validator.ts';
import { MinimumLengthValidator } from './length-validators.ts';
import { NumericPasswordValidator } from './numeric-validator.ts';
import { defaultPasswordValidators, passwordProblems, validatePassword } from './validators.ts';

const tooShort = (n: number) => `This password is too short. It must contain at least ${n} characters.`;

describe('validatePassword', () => {
  test("Django's PasswordValidationTest (CommonPasswordValidator, MinimumLengthValidator(12))", () => {
    const validators = [new CommonPasswordValidator(), new MinimumLengthValidator({ minLength: 12 })];
    assert.deepEqual(validatePassword('sufficiently-long', {}, validators), []);
    assert.deepEqual(validatePassword('django4242', {}, validators), [tooShort(12)]);
    assert.deepEqual(validatePassword('password', {}, validators), [
      'This password is too common.',
      tooShort(12),
    ]);
    assert.deepEqual(validatePassword('password', {}, []), []);
  });

  test("Django's MinimumLengthValidatorTest, with the singular for 1", () => {
    assert.equal(new MinimumLengthValidator().validate('12345678'), null);
    assert.equal(new MinimumLengthValidator({ minLength: 3 }).validate('123'), null);
    assert.deepEqual(new MinimumLengthValidator().validate('1234567'), {
      code: 'password_too_short',
      message: tooShort(8),
    });
    assert.equal(new MinimumLengthValidator({ minLength: 3 }).validate('12')?.message, tooShort(3));
    assert.equal(
      new MinimumLengthValidator({ minLength: 1 }).validate('')?.message,
      'This password is too short. It must contain at least 1 character.',
    );
  });

  test("Django's NumericPasswordValidatorTest", () => {
    assert.equal(new NumericPasswordValidator().validate('a-safe-password'), null);
    assert.deepEqual(new NumericPasswordValidator().validate('42424242'), {
      code: 'password_entirely_numeric',
      message: 'This password is entirely numeric.',
    });
  });

  test("the defaults run in Django's order: similarity, length, common, numeric", () => {
    assert.deepEqual(validatePassword('1234567', { username: '1234567' }), [
      'The password is too similar to the username.',
      tooShort(8),
      'This password is too common.',
      'This password is entirely numeric.',
    ]);
  });

  test('PWD-01: at least 8 code points; configuration below 8 is refused', () => {
    assert.deepEqual(validatePassword('gh7#kQ2', {}), [tooShort(8)]);
    assert.deepEqual(validatePassword('gh7#kQ2x', {}), []);
    assert.deepEqual(validatePassword('😀'.repeat(8), {}), []);
    assert.deepEqual(validatePassword('😀'.repeat(7), {}), [tooShort(8)]);
    assert.throws(() => defaultPasswordValidators({ minLength: 7 }), ConfigurationError);
    assert.throws(() => defaultPasswordValidators({ minLength: 7 }), {
      message: 'minLength must be at least 8, got 7',
    });
    assert.deepEqual(validatePassword('gh7#kQ2xLm9', {}, defaultPasswordValidators({ minLength: 15 })), [
      tooShort(15),
    ]);
  });

  test('PWD-04: no composition rules; any characters are accepted', () => {
    const passwords = [
      'correct horse battery staple',
      'пароль-очень-длинный',
      '密码密码密码密码',
      '    spaces    inside  ',
      'nul\u0000inside-the-password',
      'alllowercaseletters',
    ];
    for (const p of passwords)
      assert.deepEqual(validatePassword(p, { username: 'alice' }), [], JSON.stringify(p));
  });

  test('PWD-05: common and user-similar passwords are rejected with a reason code', () => {
    const codes = (p: string) =>
      passwordProblems(p, { username: 'gatehouse_admin', email: 'ops@gatehouse.dev' }).map((x) => x.code);
    assert.deepEqual(codes('password1234'), ['password_too_common']);
    assert.deepEqual(codes('123456789012'), ['password_too_common', 'password_entirely_numeric']);
    assert.deepEqual(codes('gatehouse_admin'), ['password_too_similar']);
    assert.deepEqual(codes('gatehouse.dev'), ['password_too_similar']);
  });

  test('PWD-02: 64+ characters are allowed; over 4096 bytes gets one clear message', () => {
    for (const n of [64, 128, 1024]) assert.deepEqual(validatePassword('aB3$'.repeat(n / 4), {}), []);
    assert.deepEqual(validatePassword('x'.repeat(4096), {}), []);
    assert.deepEqual(passwordProblems('x'.repeat(4097), {}), [
      {
        code: 'password_too_long',
        message: 'This password is too long. It must contain at most 4096 bytes.',
      },
    ]);
    assert.deepEqual(validatePassword('é'.repeat(2049), {}), [
      'This password is too long. It must contain at most 4096 bytes.',
    ]);
    assert.deepEqual(validatePassword('lone \uD800 surrogate', {}), [
      'This password contains invalid Unicode characters.',
    ]);
  });
});
