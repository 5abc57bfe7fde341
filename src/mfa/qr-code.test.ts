import assert from 'node:assert/strict';
import { test } from 'node:test';
import QRCode from 'qrcode';
import { qrDataUri } from './qr-code.ts';

const URI =
  'otpauth://totp/Gatehouse:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30';
const PREFIX = 'data:image/svg+xml;base64,';

function svgOf(dataUri: string): string {
  assert.ok(dataUri.startsWith(PREFIX), dataUri.slice(0, 40));
  const base64 = dataUri.slice(PREFIX.length);
  assert.match(base64, /^[A-Za-z0-9+/]+={0,2}$/);
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** Reads the dark modules back out of the SVG path that `qrcode` draws (M/m moves, h runs on each row's centre line). */
function modulesOf(svg: string): { size: number; dark: Set<string> } {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  assert.ok(viewBox, 'a viewBox');
  const path = /<path stroke="#000000" d="([^"]*)"\/>/.exec(svg);
  assert.ok(path, 'one stroked path');
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  const command = /([A-Za-z])(-?[\d.]+)(?: (-?[\d.]+))?/g;
  assert.equal(path[1].replace(command, ''), '', 'the path is nothing but commands');
  for (const [, cmd, a, b] of path[1].matchAll(command)) {
    if (cmd === 'M') [x, y] = [Number(a), Number(b)];
    else if (cmd === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else if (cmd === 'h') {
      for (let i = 0; i < Number(a); i++) dark.add(`${x + i},${y - 0.5}`);
      x += Number(a);
    } else assert.fail(`unexpected path command ${cmd}`);
  }
  return { size: Number(viewBox[1]), dark };
}

test('the TOTP QR code is an SVG data URI whose modules are the QR encoding of the provisioning URL', async () => {
  const svg = svgOf(await qrDataUri(URI));
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" shape-rendering="crispEdges">/,
  );
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(!svg.includes('<script'), 'nothing active in an image a page may inline');

  const reference = QRCode.create(URI, { errorCorrectionLevel: 'M' });
  // The encoder put the URL's bytes in the symbol, whole.
  const payload = Buffer.concat(reference.segments.map((s) => Buffer.from(s.data as unknown as Uint8Array)));
  assert.equal(payload.toString('utf8'), URI);
  // And the SVG draws exactly that symbol's matrix, inside a 4-module quiet zone.
  const { size, dark } = modulesOf(svg);
  const n = reference.modules.size;
  assert.equal(size, n + 8);
  const expected = new Set<string>();
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++)
      if (reference.modules.get(row, col)) expected.add(`${col + 4},${row + 4}`);
  }
  assert.deepEqual(dark, expected);
  // The three finder patterns sit in their corners, as a scanner expects.
  for (const [col, row] of [
    [4, 4],
    [n - 3, 4],
    [4, n - 3],
  ]) {
    assert.ok(dark.has(`${col},${row}`), `finder at ${col},${row}`);
  }
});

test('the QR code is a pure function of the text', async () => {
  const a = await qrDataUri(URI);
  assert.equal(await qrDataUri(URI), a);
  const other = await qrDataUri(URI.replace('alice', 'bob'));
  assert.notEqual(other, a);
  assert.notDeepEqual(modulesOf(svgOf(other)).dark, modulesOf(svgOf(a)).dark);
});
