import type { Random } from '../../internal/random.ts';
import type { ImportTarget } from '../../stores/import-target.ts';
import type { ImportReport, SkippedRow } from './report.ts';
import type { SeenSet } from './seen-set.ts';
import type { DjangoSource, DjangoTable } from './source.ts';

/** What the importer tells its caller as it goes (the CLI prints it; memory stays flat). */
export interface ImportEvents {
  /** A row not brought, at once (there may be millions of expired sessions). */
  skipped(row: SkippedRow): void;
  /** A row brought, with something the operator should know. */
  note(line: string): void;
  /** After each page of a table. */
  progress(table: DjangoTable, done: number, total: number): void;
}

/** What every phase of one run shares. */
export interface ImportContext {
  source: DjangoSource;
  target: ImportTarget;
  /** Django's SECRET_KEY, then its fallbacks: what verifies session data and auth hashes. */
  djangoSecretKeys: readonly string[];
  /** Gatehouse's session auth hash key (from its SECRET_KEY): imported sessions are stamped with it. */
  authHashKey: Buffer;
  now: number;
  dryRun: boolean;
  batchSize: number;
  random: Random;
  events: ImportEvents;
  report: ImportReport;
  /** Django users that are Gatehouse's users of the same id (imported, now or before): only they get credentials. */
  ownedUsers: SeenSet;
  /** Every ledger ref of each kind seen in Django this run: an entry not among them is a row gone from Django. */
  seen: { user: SeenSet; token: SeenSet; session: SeenSet; refresh: SeenSet };
}

/** Reports a skipped row and counts it. */
export function skip(ctx: ImportContext, row: SkippedRow): void {
  ctx.report.skipped++;
  ctx.events.skipped(row);
}

/** A reference to a key-like row that is not the key: the first 12 hex of its SHA-256. */
export function hashRef(keyHash: string): string {
  return `sha256:${keyHash.slice(0, 12)}`;
}

/** Writes a batch unless this is a dry run. */
export async function write(
  ctx: ImportContext,
  changes: Parameters<ImportTarget['apply']>[0],
): Promise<void> {
  if (!ctx.dryRun) await ctx.target.apply(changes);
}
