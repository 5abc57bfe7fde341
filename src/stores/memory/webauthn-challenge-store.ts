import type { WebAuthnChallenge, WebAuthnChallengeStore } from '../types.ts';

/**
 * WebAuthn challenges in process memory. `consume` gets and deletes with no
 * `await` in between, so a challenge serves one ceremony.
 *
 * ```ts
 * const challenges = new MemoryWebAuthnChallengeStore();
 * await challenges.put({ key: 'authentication:…', challenge, userId: null, expiresAt });
 * ```
 */
export class MemoryWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #byKey = new Map<string, WebAuthnChallenge>();

  async put(challenge: WebAuthnChallenge): Promise<void> {
    this.#byKey.set(challenge.key, { ...challenge });
  }

  async consume(key: string, now: number): Promise<WebAuthnChallenge | null> {
    const found = this.#byKey.get(key);
    this.#byKey.delete(key);
    return found && now < found.expiresAt ? { ...found } : null;
  }

  async deleteExpired(now: number): Promise<number> {
    let count = 0;
    for (const [key, challenge] of this.#byKey) {
      if (now >= challenge.expiresAt) {
        this.#byKey.delete(key);
        count++;
      }
    }
    return count;
  }
}
