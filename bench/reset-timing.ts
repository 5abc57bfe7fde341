/**
 * `node bench/reset-timing.ts`: how long `POST /auth/users/reset_password/`
 * takes to answer for an address a user has and for one nobody has — a
 * measurement for docs/accounts.md, not a test. The reference server runs as
 * a child process (as `npm start`) and mails through a real SMTP server
 * started here; requests alternate known/unknown so drift hits both alike.
 *
 *   RESET_SAMPLES=400 node bench/reset-timing.ts
 */
import { startServer } from '../test/helpers/server.ts';
import { startSmtpServer } from '../test/helpers/smtp.ts';

const SAMPLES = Number(process.env.RESET_SAMPLES ?? 400);

const smtp = await startSmtpServer({ starttls: false });
const server = await startServer({
  GATEHOUSE_EMAIL_URL: `smtp://127.0.0.1:${smtp.port}`,
  GATEHOUSE_EMAIL_RATE: '100000/hour',
  GATEHOUSE_SECURITY_LOG: 'off',
});
try {
  const created = await fetch(`${server.url}/auth/users/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'alice', password: 'Pw-12345678', email: 'alice@example.com' }),
  });
  if (created.status !== 201) throw new Error(`sign-up answered ${created.status}`);

  const reset = async (email: string): Promise<number> => {
    const start = process.hrtime.bigint();
    const res = await fetch(`${server.url}/auth/users/reset_password/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    await res.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 204) throw new Error(`reset answered ${res.status}`);
    return ms;
  };
  for (let i = 0; i < 20; i++) await reset(i % 2 ? 'alice@example.com' : 'nobody@example.com'); // warm-up
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    known.push(await reset('alice@example.com'));
    unknown.push(await reset(`nobody${i}@example.com`));
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
    return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms`;
  };
  console.log(`reset_password, ${SAMPLES} samples each, alternating`);
  console.log(`  known address:   ${stats(known)}`);
  console.log(`  unknown address: ${stats(unknown)}`);
  // The last mails may still be on their way (they follow the answer).
  for (let waited = 0; smtp.messages.length < SAMPLES + 10 && waited < 5_000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const mails = smtp.messages.length;
  console.log(`  mails received: ${mails} (one per known-address request: ${SAMPLES + 10})`);
} finally {
  await server.stop();
  await smtp.stop();
}
