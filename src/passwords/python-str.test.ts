import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pyIsDigit, pyLen, pySplitNonWord, pyStrip } from './python-str.ts';

// Expected values printed by Python 3.11.
describe('Python str semantics', () => {
  test('len counts code points', () => {
    assert.equal(pyLen('😀'.repeat(8)), 8);
    assert.equal(pyLen('e\u0301'), 2);
    assert.equal(pyLen(''), 0);
  });

  test("strip uses Python's whitespace, which differs from trim()", () => {
    assert.equal(pyStrip('\u001c pw \u3000\ufeff'), 'pw \u3000\ufeff');
    assert.equal(pyStrip('\t\n\u00a0Godzilla\u2003 '), 'Godzilla');
  });

  test('isdigit accepts superscripts and other digits, not fractions or the empty string', () => {
    assert.equal(pyIsDigit('42424242'), true);
    assert.equal(pyIsDigit('²³'), true);
    assert.equal(pyIsDigit('١٢٣'), true);
    assert.equal(pyIsDigit('½'), false);
    assert.equal(pyIsDigit(''), false);
    assert.equal(pyIsDigit('1234a'), false);
  });

  test("re.split(r'\\W+') keeps leading empty parts and splits on combining marks", () => {
    assert.deepEqual(pySplitNonWord("jean-marc.o'connor@exämple.co.uk"), [
      'jean',
      'marc',
      'o',
      'connor',
      'exämple',
      'co',
      'uk',
    ]);
    assert.deepEqual(pySplitNonWord('@lead'), ['', 'lead']);
    assert.deepEqual(pySplitNonWord('é\u0301x'), ['é', 'x']);
  });
});
