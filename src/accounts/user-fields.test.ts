import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSingleAddress } from '../email/message.ts';
import { emailProblems } from './user-fields.ts';

test('review: an address with a control character is "Enter a valid email address." — never one the mailer then refuses', () => {
  for (let code = 0; code <= 0x9f; code++) {
    if (code > 0x20 && code < 0x7f) continue;
    const char = String.fromCharCode(code);
    for (const address of [`a${char}b@example.com`, `ab@exa${char}mple.com`, `ab@example.c${char}m`]) {
      assert.deepEqual(emailProblems(address), ['Enter a valid email address.'], JSON.stringify(address));
    }
  }
});

test('every address the field accepts is one the mailer sends to', () => {
  for (const address of [
    'alice@example.com',
    'a.b+tag@sub.example.org',
    'josé@exämple.com',
    "o'hara@example.ie",
  ]) {
    assert.deepEqual(emailProblems(address), [], address);
    assert.ok(isSingleAddress(address), address);
  }
});
