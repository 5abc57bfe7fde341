import { ConfigurationError } from '../../errors.ts';
import { cryptoRandom, type Random } from '../../internal/random.ts';
import { PasswordHashers } from '../../passwords/password-hashers.ts';
import { sessionAuthHashKey } from '../../sessions/session-auth-hash.ts';
import type { ImportKind, ImportTarget } from '../../stores/import-target.ts';
import type { ImportContext, ImportEvents } from './context.ts';
import { importRefreshTokens } from './import-refresh-tokens.ts';
import { importSessions } from './import-sessions.ts';
import { importTokens } from './import-tokens.ts';
import { importUsers } from './import-users.ts';
import { emptyReport, type ImportReport } from './report.ts';
import { SeenSet } from './seen-set.ts';
import type { DjangoSource } from './source.ts';
import { sweep } from './sweep.ts';

export interface ImportDjangoOptions {
  /** Django's `SECRET_KEY` first, then its `SECRET_KEY_FALLBACKS`: they verify sessions and their auth hashes. */
  djangoSecretKeys: readonly string[];
  /** Gatehouse's `SECRET_KEY`: imported sessions' auth hashes are made under it. */
  gatehouseSecretKey: string;
  /** Read and decide everything, write nothing. */
  dryRun?: boolean;
  /** Epoch milliseconds: what is expired is judged against it (default now). */
  now?: number;
  /** Rows per page and per transaction (default 1000). */
  batchSize?: number;
  random?: Random;
  events?: Partial<ImportEvents>;
}

/**
 * `gatehouse importdjango`'s work: brings a Django + DRF (+ simplejwt) user
 * base into Gatehouse's stores so that nobody is logged out — users with
 * their ids and password hashes, DRF keys, live sessions, simplejwt's
 * refresh tokens — then carries over what Django ended since the last run.
 * Page by page, one transaction a page, memory flat; a re-run changes only
 * what changed in Django since, never what Gatehouse did since (see each
 * phase). Resolves to what it did; every row it did not bring is reported
 * through `events.skipped` as it is met.
 *
 * ```ts
 * const report = await importDjango(source, target, {
 *   djangoSecretKeys: [process.env.DJANGO_SECRET_KEY!],
 *   gatehouseSecretKey: config.secretKey,
 *   events: { skipped: (row) => console.log(skippedLine(row)) },
 * });
 * console.log(summaryLine(report)); // Imported 21 users, 4 tokens, 6 sessions (skipped 5).
 * ```
 */
export async function importDjango(
  source: DjangoSource,
  target: ImportTarget,
  options: ImportDjangoOptions,
): Promise<ImportReport> {
  if (
    options.djangoSecretKeys.length === 0 ||
    options.djangoSecretKeys.some((k) => typeof k !== 'string' || k === '')
  )
    throw new ConfigurationError("Django's SECRET_KEY is needed: sessions are signed with it");
  const dryRun = options.dryRun ?? false;
  const tables = await source.tables();
  if (!tables.has('auth_user')) {
    throw new ConfigurationError(
      `${source.label} has no auth_user table: not a Django database, or a custom AUTH_USER_MODEL (not supported)`,
    );
  }
  if ((await source.count('auth_user')) === 0 && (await target.ledgerPage('user', '', 1)).length > 0) {
    // Pointed at the wrong database, a run would deactivate every user: refuse.
    throw new ConfigurationError(
      `${source.label} has no users, yet earlier imports brought some: is DJANGO_DATABASE_URL right?`,
    );
  }
  const noop = () => {};
  const ctx: ImportContext = {
    source,
    target,
    djangoSecretKeys: options.djangoSecretKeys,
    authHashKey: sessionAuthHashKey(options.gatehouseSecretKey),
    now: options.now ?? Date.now(),
    dryRun,
    batchSize: options.batchSize ?? 1000,
    random: options.random ?? cryptoRandom,
    events: {
      skipped: options.events?.skipped ?? noop,
      note: options.events?.note ?? noop,
      progress: options.events?.progress ?? noop,
    },
    report: emptyReport(dryRun),
    ownedUsers: new SeenSet(),
    seen: { user: new SeenSet(), token: new SeenSet(), session: new SeenSet(), refresh: new SeenSet() },
  };
  const swept: ImportKind[] = ['user'];
  await importUsers(ctx, new PasswordHashers());
  // At once: should a later phase fail, sign-ups must still not take an imported id.
  if (!dryRun) await target.syncUserIds();
  ctx.ownedUsers.seal();
  if (tables.has('authtoken_token')) {
    await importTokens(ctx);
    swept.push('token');
  }
  if (tables.has('django_session')) {
    await importSessions(ctx);
    swept.push('session');
  }
  if (tables.has('token_blacklist_outstandingtoken') && tables.has('token_blacklist_blacklistedtoken')) {
    await importRefreshTokens(ctx);
    swept.push('refresh');
  }
  await sweep(ctx, swept);
  return ctx.report;
}
