import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { parseEmailUrl, type SmtpEmailUrl } from '../../src/email/email-url.ts';
import { ConfigurationError } from '../../src/errors.ts';

function smtp(url: string): SmtpEmailUrl {
  const parsed = parseEmailUrl(url);
  assert.notEqual(parsed.scheme, 'console');
  return parsed as SmtpEmailUrl;
}

describe('GATEHOUSE_EMAIL_URL', () => {
  test('console: writes to standard output', () => {
    assert.deepEqual(parseEmailUrl('console:'), { scheme: 'console', display: 'console:' });
    assert.deepEqual(parseEmailUrl('console://'), { scheme: 'console', display: 'console:' });
  });

  test('smtp://host:port uses STARTTLS when the server offers it', () => {
    const url = smtp('smtp://mail.example.com:587');
    assert.deepEqual(
      { ...url },
      {
        scheme: 'smtp',
        host: 'mail.example.com',
        port: 587,
        secure: false,
        starttls: 'auto',
        auth: null,
        display: 'smtp://mail.example.com:587',
      },
    );
  });

  test('smtp:// defaults to port 25 and smtps:// to port 465', () => {
    assert.equal(smtp('smtp://mail.example.com').port, 25);
    const tls = smtp('smtps://mail.example.com');
    assert.equal(tls.port, 465);
    assert.equal(tls.secure, true);
    assert.equal(tls.display, 'smtps://mail.example.com:465');
  });

  test('?starttls=required insists on TLS and ?starttls=never skips it', () => {
    assert.equal(smtp('smtp://mail.example.com:25?starttls=required').starttls, 'required');
    assert.equal(smtp('smtp://mail.example.com:25?starttls=never').starttls, 'never');
  });

  test('user and password are percent-decoded, and the password is a Secret', () => {
    const url = smtp('smtps://mailer%40example.com:p%40ss%3Aw0rd@mail.example.com:465');
    assert.equal(url.auth?.user, 'mailer@example.com');
    assert.equal(url.auth?.pass.reveal(), 'p@ss:w0rd');
    assert.equal(url.display, 'smtps://mailer%40example.com@mail.example.com:465');
    assert.doesNotMatch(inspect(url), /p@ss|p%40ss/);
    assert.doesNotMatch(JSON.stringify(url), /p@ss|p%40ss/);
  });

  test('a password makes STARTTLS required: it never crosses the network in clear', () => {
    assert.equal(smtp('smtp://mailer:s3cret@mail.example.com:587').starttls, 'required');
  });

  test('an IPv6 host loses its brackets', () => {
    const url = smtp('smtp://[::1]:2525');
    assert.equal(url.host, '::1');
    assert.equal(url.display, 'smtp://[::1]:2525');
  });

  const bad: [string, string, string][] = [
    [
      '',
      'empty',
      'email URL is empty: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    [
      'http://mail.example.com',
      'another scheme',
      'email URL scheme "http:" is not supported: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    [
      'mail.example.com:25',
      'no scheme',
      'email URL scheme is not supported: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    [
      'smtp://',
      'no host',
      'email URL has no host: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    ['smtp://mail.example.com:0', 'port 0', 'email URL port must be between 1 and 65535'],
    [
      'smtp://mail.example.com:99999',
      'port out of range',
      'email URL is not a valid URL: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    ['smtp://mail.example.com/inbox', 'a path', 'email URL must not have a path or a fragment'],
    ['smtp://mail.example.com?tls=1', 'an unknown parameter', 'email URL parameter "tls" is not supported'],
    [
      'smtp://mail.example.com?starttls=maybe',
      'a bad starttls',
      'email URL starttls must be "required" or "never"',
    ],
    [
      'smtp://mail.example.com?starttls=never&starttls=required',
      'starttls twice',
      'email URL gives starttls more than once',
    ],
    [
      'smtps://mail.example.com?starttls=required',
      'starttls on smtps',
      'email URL: starttls applies to smtp://, smtps:// is TLS from the start',
    ],
    [
      ':s3cret@',
      'nonsense',
      'email URL is not a valid URL: expected console:, smtp://[user:pass@]host:port or smtps://[user:pass@]host:port',
    ],
    [
      'smtp://:s3cret@mail.example.com',
      'a password without a user',
      'email URL has a password but no user name',
    ],
    [
      'smtp://mailer:s3cret%zz@mail.example.com',
      'bad percent-encoding',
      'email URL user name or password is not valid percent-encoding',
    ],
    [
      'smtp://mailer:s3cret@mail.example.com?starttls=never',
      'a password without TLS',
      'email URL: a password is never sent without TLS; drop starttls=never',
    ],
    [`smtp://${'a'.repeat(2049)}`, 'too long', 'email URL is longer than 2048 characters'],
  ];
  for (const [url, what, message] of bad) {
    test(`a bad URL (${what}) is a one-line ConfigurationError`, () => {
      assert.throws(
        () => parseEmailUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof ConfigurationError);
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }

  test('no error message repeats the password', () => {
    for (const url of [
      'smtp://mailer:s3cret@mail.example.com:99999',
      'smtp://mailer:s3cret@mail.example.com/x',
      'smtp://mailer:s3cret@mail.example.com?x=1',
      'smtp://mailer:s3cret@mail.example.com?starttls=never',
      'smtp://mailer:s3cret%zz@mail.example.com',
      'ftp://mailer:s3cret@mail.example.com',
      'smtp://mailer:s3cret@[bad',
    ]) {
      assert.throws(
        () => parseEmailUrl(url),
        (error: unknown) => error instanceof ConfigurationError && !/s3cret/.test(error.message),
        url,
      );
    }
  });
});
