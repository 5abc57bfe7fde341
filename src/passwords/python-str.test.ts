import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pyIsDigit, pyIsSpace, pyLen, pySplitNonWord, pyStrip } from './python-str.ts';

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
    assert.equal(pyStrip(' \u2028\x1f'), '');
    assert.equal(pyStrip(''), '');
    assert.equal(pyStrip('x \u3000 x'), 'x \u3000 x');
  });

  test("isspace is exactly Python's 29 whitespace code points (none outside the BMP)", () => {
    // [hex(c) for c in range(0x110000) if chr(c).isspace()], Python 3.11.2
    const python = [
      0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
      0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ];
    const ours: number[] = [];
    for (let code = 0; code <= 0xffff; code++) if (pyIsSpace(code)) ours.push(code);
    assert.deepEqual(ours, python);
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
