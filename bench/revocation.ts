/**
 * The `revocation` group: two reference-server instances on one PostgreSQL
 * and one Redis (cache on), A pinned to core 0 (beside wrk), B to core 1.
 * Fresh tokens are revoked on A and B is polled with each, back to back,
 * from the moment the DELETE is sent — first with B idle (for contrast),
 * then while wrk drives B at full load (token auth of another user). Per
 * round:
 *
 * - the delay: from the start of the DELETE to the end of B's first refusal;
 * - A's answer time (its DELETE answers once every instance confirmed);
 * - late accepts: any poll of B sent after A's 204 arrived, or after B
 *   already refused once, that B still answered 200 — the contract says
 *   never, so any count here is a bug.
 *
 * ```ts
 * const markdown = await revocationDelay(env, { rounds: 200 });
 * ```
 */
import { postJson, tokenFor } from './credentials.ts';
import { backgroundLoad } from './load.ts';
import { percentile } from './percentile.ts';
import { startProcess } from './processes.ts';
import { SERVER_ENV } from './reference-server.ts';

/** Polls after A's answer before a round ends (each one a chance to catch a late accept). */
const POLLS_AFTER_ANSWER = 5;

interface Round {
  delay: number;
  answered: number;
  late: number;
}

export async function revocationDelay(
  env: Record<string, string>,
  options: { rounds: number },
): Promise<string> {
  const fullEnv = { ...SERVER_ENV, ...env };
  const a = await startProcess('server/main.ts', { env: fullEnv, core: 0 });
  const b = await startProcess('server/main.ts', { env: fullEnv, core: 1 });
  try {
    const owner = { authorization: `Token ${await tokenFor(a.url, 'revoker', { register: true })}` };
    const loader = { authorization: `Token ${await tokenFor(b.url, 'loader', { register: true })}` };
    // B idle first, for contrast: what the load adds.
    const idle: Round[] = [];
    for (let i = 0; i < options.rounds; i++) idle.push(await oneRound(a.url, b.url, owner, `idle${i}`));
    const wrk = backgroundLoad(`${b.url}/api/profile/`, loader);
    const loaded: Round[] = [];
    let load: { rps: number; p99: number };
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // B warmed and saturated
      for (let i = 0; i < options.rounds; i++) loaded.push(await oneRound(a.url, b.url, owner, `load${i}`));
    } finally {
      load = await wrk.stop();
    }
    const sorted = (rounds: Round[], field: 'delay' | 'answered') =>
      rounds.map((r) => r[field]).sort((x, y) => x - y);
    const ms = (values: number[]) =>
      `${percentile(values, 50).toFixed(2)} | ${percentile(values, 99).toFixed(2)} | ${values.at(-1)!.toFixed(2)}`;
    const late = [...idle, ...loaded].reduce((sum, r) => sum + r.late, 0);
    const delays = sorted(loaded, 'delay');
    console.log(
      `revocation A → B under load: p50 ${percentile(delays, 50).toFixed(2)} ms, p99 ${percentile(delays, 99).toFixed(2)} ms, max ${delays.at(-1)!.toFixed(2)} ms; late accepts ${late}`,
    );
    return [
      `Two reference-server instances on one PostgreSQL and one Redis (cache on): A pinned to core 0 (beside wrk), B to core 1. ${options.rounds} tokens revoked on A and polled on B with B idle, then ${options.rounds} more while wrk drives B at full load (${Math.round(load.rps)} req/s of token auth for another user, p99 ${load.p99} ms). Target: p99 < 50 ms under load, late accepts 0.`,
      '',
      '| token revoked on A, polled on B | p50 (ms) | p99 (ms) | max (ms) |',
      '| --- | ---: | ---: | ---: |',
      `| **B under full load:** DELETE sent on A → first refusal on B | ${ms(delays)} |`,
      `| B under full load: DELETE sent on A → A's 204 (every instance confirmed) | ${ms(sorted(loaded, 'answered'))} |`,
      `| B idle: DELETE sent on A → first refusal on B | ${ms(sorted(idle, 'delay'))} |`,
      `| B idle: DELETE sent on A → A's 204 | ${ms(sorted(idle, 'answered'))} |`,
      '',
      `Late accepts (B answered 200 to a request sent after A's 204, or after it had refused once): **${late}** over ${idle.length + loaded.length} rounds, at least ${POLLS_AFTER_ANSWER} polls after each 204.`,
    ].join('\n');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function oneRound(a: string, b: string, owner: Record<string, string>, name: string): Promise<Round> {
  const created = await postJson(`${a}/api/tokens/`, { name }, owner);
  if (created.status !== 201)
    throw new Error(`token not created: ${created.status} ${JSON.stringify(created.body)}`);
  const victim = { authorization: `Token ${created.body.token}` };
  const poll = async () => {
    const res = await fetch(`${b}/api/profile/`, { headers: victim });
    await res.arrayBuffer();
    return res.status;
  };
  if ((await poll()) !== 200) throw new Error('B refused a live token'); // now in B's cache

  const started = performance.now();
  let answeredAt = Number.POSITIVE_INFINITY;
  let failure: Error | null = null;
  const revoked = fetch(`${a}/api/tokens/${created.body.id}/`, { method: 'DELETE', headers: owner }).then(
    async (res) => {
      await res.arrayBuffer();
      if (res.status !== 204) throw new Error(`revoke answered ${res.status}`);
      answeredAt = performance.now();
    },
  );
  revoked.catch((error: Error) => (failure = error));
  let refusedAt: number | null = null;
  let late = 0;
  let pollsAfterAnswer = 0;
  try {
    while (refusedAt === null || pollsAfterAnswer < POLLS_AFTER_ANSWER) {
      if (failure) throw failure;
      const sentAt = performance.now();
      if (sentAt - started > 5000) throw new Error('revocation never arrived on B');
      const status = await poll();
      if (sentAt > answeredAt) pollsAfterAnswer++;
      if (status === 200) {
        if (sentAt > answeredAt || refusedAt !== null) late++;
      } else if (status === 401) {
        refusedAt ??= performance.now();
      } else {
        throw new Error(`B answered ${status}`);
      }
    }
  } finally {
    await revoked.catch(() => {});
  }
  return { delay: refusedAt - started, answered: answeredAt - started, late };
}
