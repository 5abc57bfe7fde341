/**
 * Paired measurements: every round of a scenario is measured right next to a
 * fresh measurement of its bare route (the order alternating from round to
 * round), the ratio is taken per pair, and the median pair is kept with the
 * spread of all pairs — so this shared machine's drift and bursts of noise
 * from its neighbours cancel out instead of landing on one side.
 *
 * ```ts
 * const row = await paired('session auth', url + '/api/dashboard/', { cookie }, bare, { rounds: 7, seconds: 2 });
 * console.log(row.ratio, row.ratioMin, row.ratioMax);
 * ```
 */
import type { Credentials } from './credentials.ts';
import { load, type Measured } from './load.ts';

/** A bare route, measured on demand. */
export interface Yardstick {
  /** "bare Fastify route", "bare Express route", … */
  name: string;
  url: string;
}

/** A scenario's result: the median pair's figures and the spread of all pairs. */
export interface PairedRow {
  scenario: string;
  /** Requests per second of the scenario and of its bare route, medians over the rounds. */
  rps: number;
  bareRps: number;
  /** Median of the paired ratios, and their min and max. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** 99th percentile latency (ms), medians over the rounds. */
  p99: number;
  bareP99: number;
  rounds: number;
  /** The ratio the issue asks for, when it asks for one. */
  target: number | null;
}

export interface PairOptions {
  rounds: number;
  seconds: number;
  target: number | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Measures one scenario against its bare route, `rounds` pairs. */
export async function paired(
  scenario: string,
  url: string,
  headers: Record<string, string>,
  bare: Yardstick,
  options: PairOptions,
): Promise<PairedRow> {
  const pairs: { it: Measured; bare: Measured }[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const measure = () => load(url, headers, options.seconds);
    const yardstick = () => load(bare.url, {}, options.seconds);
    if (round % 2 === 0) {
      const b = await yardstick();
      pairs.push({ bare: b, it: await measure() });
    } else {
      const it = await measure();
      pairs.push({ it, bare: await yardstick() });
    }
  }
  const ratios = pairs.map((p) => p.it.rps / p.bare.rps);
  if (process.env.BENCH_VERBOSE) console.log(`  pairs: ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  const row: PairedRow = {
    scenario,
    rps: median(pairs.map((p) => p.it.rps)),
    bareRps: median(pairs.map((p) => p.bare.rps)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    p99: median(pairs.map((p) => p.it.p99)),
    bareP99: median(pairs.map((p) => p.bare.p99)),
    rounds: pairs.length,
    target: options.target,
  };
  console.log(
    `${scenario}: ${Math.round(row.rps)} req/s, ${row.ratio.toFixed(2)}× ${bare.name} (${row.ratioMin.toFixed(2)}–${row.ratioMax.toFixed(2)})`,
  );
  return row;
}

/** The three authenticated requests every group measures, on the DRF guides' two example resources. */
export function scenarios(creds: Credentials): [string, string, Record<string, string>][] {
  return [
    ['session', '/api/dashboard/', { cookie: `sessionid=${creds.session}` }],
    ['token', '/api/profile/', { authorization: `Token ${creds.token}` }],
    ['JWT (reused access token)', '/api/profile/', { authorization: `Bearer ${creds.access}` }],
  ];
}

const fixed = (n: number) => n.toFixed(2);

/** A group's rows as a markdown table, each scenario against the bare route it was paired with. */
export function pairedTable(rows: readonly PairedRow[], bareLabel: string): string {
  return [
    `| scenario | req/s | ${bareLabel} req/s | ratio (median) | spread (min–max) | target | p99 (ms) | bare p99 (ms) |`,
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map((r) => {
      const target =
        r.target === null ? '—' : `≥ ${fixed(r.target)}× ${r.ratio >= r.target ? 'met' : 'not met'}`;
      return `| ${r.scenario} | ${Math.round(r.rps)} | ${Math.round(r.bareRps)} | ${fixed(r.ratio)}× | ${fixed(r.ratioMin)}–${fixed(r.ratioMax)} | ${target} | ${fixed(r.p99)} | ${fixed(r.bareP99)} |`;
    }),
  ].join('\n');
}
