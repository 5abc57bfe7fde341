import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  activationLink,
  activationMessage,
  passwordResetLink,
  passwordResetMessage,
} from '../../src/email/messages.ts';
import { ConfigurationError } from '../../src/errors.ts';

const site = { frontendUrl: 'https://app.example.com' };
const token = 'dj53l6-bc563ce02463323fda58aa6bc97721ec';
const to = 'alice@example.com';

describe("the account e-mails (djoser 2.1's wording)", () => {
  test('the activation mail carries <frontend>/#/activate/<uid>/<token>', () => {
    assert.deepEqual(activationMessage(site, { to, uid: 'MQ', token }), {
      to: 'alice@example.com',
      from: 'webmaster@localhost',
      subject: 'Account activation on app.example.com',
      text:
        "You're receiving this email because you need to finish activation process on app.example.com.\n\n" +
        'Please go to the following page to activate account:\n' +
        'https://app.example.com/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec\n\n' +
        'Thanks for using our site!\n\n' +
        'The app.example.com team',
      html:
        '<p>You&#39;re receiving this email because you need to finish activation process on app.example.com.</p>\n\n' +
        '<p>Please go to the following page to activate account:</p>\n' +
        '<p><a href="https://app.example.com/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec">' +
        'https://app.example.com/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec</a></p>\n\n' +
        '<p>Thanks for using our site!</p>\n\n' +
        '<p>The app.example.com team</p>',
    });
  });

  test('the password reset mail carries <frontend>/#/password/reset/confirm/<uid>/<token> and the username', () => {
    const message = passwordResetMessage(site, { to, uid: 'MTIz', token, username: 'alice' });
    assert.equal(message.subject, 'Password reset on app.example.com');
    assert.equal(
      message.text,
      "You're receiving this email because you requested a password reset for your user account at app.example.com.\n\n" +
        'Please go to the following page and choose a new password:\n' +
        'https://app.example.com/#/password/reset/confirm/MTIz/dj53l6-bc563ce02463323fda58aa6bc97721ec\n' +
        "Your username, in case you've forgotten: alice\n\n" +
        'Thanks for using our site!\n\n' +
        'The app.example.com team',
    );
    assert.equal(
      message.html,
      '<p>You&#39;re receiving this email because you requested a password reset for your user account at app.example.com.</p>\n\n' +
        '<p>Please go to the following page and choose a new password:</p>\n' +
        '<a href="https://app.example.com/#/password/reset/confirm/MTIz/dj53l6-bc563ce02463323fda58aa6bc97721ec">' +
        'https://app.example.com/#/password/reset/confirm/MTIz/dj53l6-bc563ce02463323fda58aa6bc97721ec</a>\n' +
        '<p>Your username, in case you&#39;ve forgotten: <b>alice</b></p>\n\n' +
        '<p>Thanks for using our site!</p>\n\n' +
        '<p>The app.example.com team</p>',
    );
  });

  test('the site name defaults to the frontend host, port included', () => {
    const message = passwordResetMessage(
      { frontendUrl: 'http://127.0.0.1:8000/' },
      { to, uid: 'MQ', token, username: 'alice' },
    );
    assert.equal(message.subject, 'Password reset on 127.0.0.1:8000');
  });

  test('a frontend path is kept and a trailing slash dropped', () => {
    assert.equal(
      activationLink('https://example.com/app/', 'MQ', token),
      'https://example.com/app/#/activate/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec',
    );
    assert.equal(
      passwordResetLink('https://example.com', 'MQ', token),
      'https://example.com/#/password/reset/confirm/MQ/dj53l6-bc563ce02463323fda58aa6bc97721ec',
    );
  });

  test('every interpolated value is HTML-escaped in the HTML part and left alone in the text part', () => {
    const message = passwordResetMessage(
      { frontendUrl: 'https://app.example.com', siteName: 'Tom & Jerry\'s <b>"site"</b>' },
      { to, uid: 'MQ', token, username: '<img src=x onerror=alert(1)>' },
    );
    assert.match(message.html, /at Tom &#38; Jerry&#39;s &#60;b&#62;&#34;site&#34;&#60;\/b&#62;\.<\/p>/);
    assert.match(message.html, /<b>&#60;img src=x onerror=alert\(1\)&#62;<\/b>/);
    assert.doesNotMatch(message.html, /<img|<b>"/);
    assert.match(message.text, /Your username, in case you've forgotten: <img src=x onerror=alert\(1\)>\n/);
    assert.equal(message.subject, 'Password reset on Tom & Jerry\'s <b>"site"</b>');
  });

  test('a line break in a value cannot start a header or a line of its own', () => {
    const message = passwordResetMessage(
      { frontendUrl: 'https://app.example.com', siteName: 'Example\r\nBcc: eve@evil.test' },
      { to, uid: 'MQ', token, username: 'alice\nVisit https://evil.test/ to keep your account' },
    );
    assert.equal(message.subject, 'Password reset on Example  Bcc: eve@evil.test');
    assert.match(message.text, /forgotten: alice Visit https:\/\/evil.test\/ to keep your account\n/);
    assert.doesNotMatch(message.text, /\r/);
  });

  test('the only secret a mail carries is the token in its link', () => {
    const message = passwordResetMessage(site, { to, uid: 'MQ', token, username: 'alice' });
    const occurrences = (message.text + message.html).split(token).length - 1;
    assert.equal(occurrences, 3); // the text link, the href and the anchor text
    assert.deepEqual(Object.keys(message).sort(), ['from', 'html', 'subject', 'text', 'to']);
  });

  test('a uid or token that is not base64url is refused rather than put in a link', () => {
    for (const [uid, tok] of [
      ['MQ', 'abc/../x'],
      ['M Q', token],
      ['MQ', '"><script>'],
      ['', token],
      ['MQ', 'x'.repeat(513)],
    ]) {
      assert.throws(() => activationMessage(site, { to, uid, token: tok }), TypeError);
    }
  });

  test('a frontend URL that is not plain http(s) is a ConfigurationError', () => {
    for (const frontendUrl of [
      'javascript:alert(1)',
      'app.example.com',
      'https://user:pass@app.example.com',
      'https://app.example.com/?next=x',
      'https://app.example.com/#/',
      'https://app.example.com/ x',
      `https://app.example.com/${'a'.repeat(2048)}`,
    ]) {
      assert.throws(() => activationLink(frontendUrl, 'MQ', token), ConfigurationError, frontendUrl);
    }
  });
});
