import { PermissionDenied } from '../errors.ts';
import type { Gate, RequestContext } from '../types.ts';
import type { SecondFactors } from './second-factors.ts';

/** `GATEHOUSE_MFA_REQUIRED`: nobody, staff accounts (is_staff or is_superuser), or every account. */
export type MfaRequirement = 'off' | 'staff' | 'all';

/**
 * `GATEHOUSE_MFA_REQUIRED=staff`: an account it names that has no second
 * factor (TOTP) answers 403 `Two-factor authentication must be enabled for
 * this account.` on every view but the MFA setup ones (which opt out with
 * `gate: null`), whatever credential it used. Installed once, by the
 * composition root, as the gate of every view and guard.
 *
 * ```ts
 * createGatehouse({ …, mfa: { required: 'staff' } }); // gh.defaults.gate is a MfaRequired
 * ```
 */
export class MfaRequired implements Gate {
  readonly #factors: SecondFactors;
  readonly #who: 'staff' | 'all';

  constructor(factors: SecondFactors, who: 'staff' | 'all') {
    this.#factors = factors;
    this.#who = who;
  }

  async check(ctx: RequestContext): Promise<void> {
    const user = ctx.user;
    if (!user) return;
    if (this.#who === 'staff' && !user.isStaff && !user.isSuperuser) return;
    if (await this.#factors.isEnabled(user.id)) return;
    throw new PermissionDenied('Two-factor authentication must be enabled for this account.', 'mfa_required');
  }
}
