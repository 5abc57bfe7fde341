import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latinSkeleton, lookalikeProblem } from './lookalike-username.ts';

const existing = new Set(['paypal', 'admin', 'Анна']);
const lookup = async (name: string) => (existing.has(name) ? { name } : null);

test('issue 8.10: a name mixing Latin with Cyrillic or Greek letters is refused', async () => {
  for (const name of ['pаypal', 'аdmin', 'gοogle', 'bob_ρ']) {
    assert.equal(
      await lookalikeProblem(name, lookup),
      'Enter a valid username. This value may not mix Latin letters with Cyrillic or Greek ones.',
      name,
    );
  }
});

test('issue 8.10: an all-Cyrillic or all-Greek twin of an existing Latin name is refused', async () => {
  assert.equal(latinSkeleton('сосо'), 'coco'); // Cyrillic с and о
  assert.equal(latinSkeleton('ΚΟΑΧ'), 'KOAX'); // Greek capitals
  existing.add('coco');
  existing.add('KOAX');
  assert.equal(await lookalikeProblem('сосо', lookup), 'A user with a similar username already exists.');
  assert.equal(await lookalikeProblem('ΚΟΑΧ', lookup), 'A user with a similar username already exists.');
  assert.equal(await lookalikeProblem('сосоа', lookup), null, 'reads "cocoa": nobody has it');
});

test('ordinary names of any one script, digits and @/./+/-/_ included, are fine', async () => {
  for (const name of ['alice', 'Анна2', 'Ελένη', '太郎', 'taro太郎', 'jo.doe+test@x', 'Σωκράτης_1']) {
    assert.equal(await lookalikeProblem(name, lookup), null, name);
  }
});
