/**
 * Two-factor authentication from the client's side, for the HTTP suites: an
 * "authenticator app" that scans the `otpauth://` URL the server hands out
 * (otpauth's own parser and TOTP, not the server's code), and TOTP set up
 * through the API as a user would.
 *
 * ```ts
 * const { app, recoveryCodes } = await enableTotp(c, clock);
 * await c.request('POST', '/auth/mfa/verify/', { json: { ephemeral_token, code: app.code(clock.now()) } });
 * ```
 */
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import type { Client } from './app.ts';
import type { FakeClock } from './fake-clock.ts';

export const PASSWORD = 'Pw-12345678';

/** An authenticator app holding the secret of one `otpauth://totp/…` URL. */
export interface AuthenticatorApp {
  /** The code the app shows at `at` (ms). */
  code(at: number): string;
  readonly secret: string;
}

/** Scans a provisioning URL, as a phone app does with the QR code. */
export function scan(totpUrl: string): AuthenticatorApp {
  const otp = URI.parse(totpUrl);
  assert.ok(otp instanceof TOTP, 'a TOTP URL');
  return { code: (at) => otp.generate({ timestamp: at }), secret: otp.secret.base32 };
}

/**
 * Turns TOTP on for the client's logged-in user through `GET` and `POST
 * /auth/mfa/totp/activate/`, then moves the clock one period on, so the next
 * code is not the one that activated (a code is accepted once).
 */
export async function enableTotp(
  c: Client,
  clock: FakeClock,
  password = PASSWORD,
): Promise<{ app: AuthenticatorApp; recoveryCodes: string[] }> {
  const begun = await c.request('GET', '/auth/mfa/totp/activate/');
  assert.equal(begun.status, 200, begun.body);
  const app = scan(begun.json.totp_url);
  const done = await c.request('POST', '/auth/mfa/totp/activate/', {
    json: {
      activation_token: begun.json.activation_token,
      code: app.code(clock.now()),
      current_password: password,
    },
    csrf: true,
  });
  assert.equal(done.status, 200, done.body);
  clock.advance(30_000);
  return { app, recoveryCodes: done.json.recovery_codes };
}
