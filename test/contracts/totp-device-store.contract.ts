import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TotpDevice, TotpDeviceStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser, unique } from './fixture.ts';

/**
 * The TotpDeviceStore contract, run on every backend: one device per user,
 * and a time step accepted once — also when many requests race for it.
 *
 * ```ts
 * totpDeviceStoreContract('memory', fixture((s) => s.totpDevices));
 * ```
 */
export function totpDeviceStoreContract(name: string, make: MakeFixture<TotpDeviceStore>): void {
  describe(`TotpDeviceStore contract: ${name}`, () => {
    let devices: TotpDeviceStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: devices, users, close } = await make()));
    after(() => close());

    const device = async (lastStep: number | null = null): Promise<TotpDevice> => {
      const d = {
        userId: (await makeUser(users)).id,
        sealedSecret: unique('v1.sealed'),
        lastStep,
        createdAt: 1_000,
        lastUsedAt: null,
      };
      assert.equal(await devices.create(d), true);
      return d;
    };

    test('a device is saved and read back; a user without one has null', async () => {
      const d = await device(41);
      assert.deepEqual(await devices.get(d.userId), d);
      assert.equal(await devices.get((await makeUser(users)).id), null);
    });

    test('a second device for the same user is refused and changes nothing', async () => {
      const d = await device();
      assert.equal(await devices.create({ ...d, sealedSecret: 'other', createdAt: 2_000 }), false);
      assert.deepEqual(await devices.get(d.userId), d);
    });

    test('a step is accepted once, and never a step at or below the last one', async () => {
      const d = await device(100);
      const use = (step: number, now = 5_000) =>
        devices.useStep(d.userId, { sealedSecret: d.sealedSecret, step, now });
      assert.equal(await use(100), false, 'the step of the activating code');
      assert.equal(await use(99), false);
      assert.equal(await use(101, 6_000), true);
      assert.equal(await use(101), false, 'a replay');
      assert.deepEqual(await devices.get(d.userId), { ...d, lastStep: 101, lastUsedAt: 6_000 });
    });

    test('a device with no step yet accepts any step', async () => {
      const d = await device(null);
      assert.equal(await devices.useStep(d.userId, { sealedSecret: d.sealedSecret, step: 0, now: 1 }), true);
    });

    test('a step is refused when the device was replaced in between (another sealed secret)', async () => {
      const d = await device(1);
      assert.equal(await devices.useStep(d.userId, { sealedSecret: 'stale', step: 2, now: 1 }), false);
      assert.equal((await devices.get(d.userId))?.lastStep, 1);
    });

    test('of 20 concurrent uses of one step exactly one wins', async () => {
      const d = await device(7);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          devices.useStep(d.userId, { sealedSecret: d.sealedSecret, step: 8, now: 9 }),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('reseal swaps the sealed secret only from the expected value', async () => {
      const d = await device();
      assert.equal(await devices.reseal(d.userId, 'not-it', 'new'), false);
      assert.equal(await devices.reseal(d.userId, d.sealedSecret, 'new'), true);
      assert.equal((await devices.get(d.userId))?.sealedSecret, 'new');
    });

    test('delete removes the device once', async () => {
      const d = await device();
      assert.equal(await devices.delete(d.userId), true);
      assert.equal(await devices.delete(d.userId), false);
      assert.equal(await devices.get(d.userId), null);
      assert.equal(await devices.create({ ...d, sealedSecret: 'again' }), true, 'a new one may follow');
    });
  });
}
