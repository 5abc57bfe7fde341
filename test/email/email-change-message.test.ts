import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailChangeLink, emailChangeMessage } from '../../src/email/messages.ts';

const site = { frontendUrl: 'https://app.example.com/app/' };

test('the e-mail change mail carries <frontend>/#/email/confirm/<uid>/<token>, text and HTML', () => {
  const token = 'c6lvsw-01c0cc3e1814d5a74bc6077724f15807-bmV3QGV4YW1wbGUuY29t';
  const message = emailChangeMessage(site, { to: 'new@example.com', uid: 'MQ', token, username: 'a<b>' });
  const link = `https://app.example.com/app/#/email/confirm/MQ/${token}`;
  assert.equal(message.to, 'new@example.com');
  assert.equal(message.subject, 'Confirm your new email address on app.example.com');
  assert.equal(
    message.text,
    "You're receiving this email because you asked to use this address for your user account at app.example.com.\n\n" +
      'Please go to the following page to confirm it:\n' +
      `${link}\n` +
      'Your username: a<b>\n\n' +
      'If you did not ask for this, ignore this email: nothing changes until the link is followed.\n\n' +
      'Thanks for using our site!\n\n' +
      'The app.example.com team',
  );
  assert.equal(
    message.html,
    '<p>You&#39;re receiving this email because you asked to use this address for your user account at app.example.com.</p>\n\n' +
      '<p>Please go to the following page to confirm it:</p>\n' +
      `<p><a href="${link}">${link}</a></p>\n` +
      '<p>Your username: <b>a&#60;b&#62;</b></p>\n\n' +
      '<p>If you did not ask for this, ignore this email: nothing changes until the link is followed.</p>\n\n' +
      '<p>Thanks for using our site!</p>\n\n' +
      '<p>The app.example.com team</p>',
  );
});

test('a token carrying a 254-character address still fits a link; past 512 characters it is refused', () => {
  const long = 'x'.repeat(512);
  assert.ok(emailChangeLink('https://app.example.com', 'MQ', long).endsWith(long));
  assert.throws(() => emailChangeLink('https://app.example.com', 'MQ', `${long}x`), TypeError);
});
