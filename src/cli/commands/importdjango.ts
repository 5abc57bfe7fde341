import { loadConfig } from '../../config.ts';
import { importDjango } from '../../django/import/import-django.ts';
import { openDjangoSource, parseDjangoDatabaseUrl } from '../../django/import/open-source.ts';
import { openImportTarget } from '../../django/import/open-target.ts';
import { detailLines, type ImportReport, skippedLine, summaryLine } from '../../django/import/report.ts';
import type { DjangoSource, DjangoTable } from '../../django/import/source.ts';
import type { ImportTarget } from '../../stores/import-target.ts';
import { UsageError } from '../args.ts';
import { type CommandContext, defineCommand } from '../command.ts';

/** Stands in for SECRET_KEY in a dry run: nothing is signed with it that is kept or shown. */
const DRY_RUN_SECRET_KEY = 'dry-run-writes-nothing-and-keeps-no-session-auth-hash';

/** How often a progress line is written on a terminal. */
const PROGRESS_INTERVAL_MS = 1000;

/** `gatehouse importdjango sqlite:///srv/django/db.sqlite3`: a Django + DRF user base, with nobody logged out. */
export const importdjango = defineCommand({
  name: 'importdjango',
  summary: 'Import the users, DRF tokens, sessions and JWTs of a Django project',
  usage: 'importdjango DJANGO_DATABASE_URL [--django-secret-key KEY]… [--dry-run]',
  description: `Brings a Django + DRF project's users over with nobody logged out, reading its database
(sqlite:///PATH, a file path, or postgres://…) read-only: auth_user (ids, usernames, e-mails, password
hashes, flags, dates), authtoken_token (each DRF key keeps working as "Authorization: Token <key>",
stored only as its SHA-256), django_session (each live session keeps its sessionid cookie until its
Django expire_date; stale, expired, anonymous and unreadable ones stay behind) and simplejwt's
token_blacklist tables (issued refresh tokens keep working while Django's key is SECRET_KEY or in
GATEHOUSE_SECRET_KEY_FALLBACKS; blacklisted ones stay dead).

Django's SECRET_KEY verifies the sessions: --django-secret-key KEY (again for each of Django's
SECRET_KEY_FALLBACKS, current key first) or DJANGO_SECRET_KEY (preferred: the command line is
visible to other local users).

Run it again to bring what changed in Django since (new users, changed e-mails, flags and
passwords, new keys and sessions, logouts); what Gatehouse did since the last run (a logout, a
reset, an upgraded hash) is never undone, and nothing is duplicated. --dry-run reports what it
would do and writes nothing. Each row not brought is one line on stdout (its table, a reference
that is no secret, and why), then the summary: Imported U users, T tokens, S sessions (skipped K).`,
  args: {
    positionals: ['DJANGO_DATABASE_URL'],
    options: {
      'django-secret-key': {
        type: 'strings',
        value: 'KEY',
        description: "Django's SECRET_KEY, then each of its fallbacks (repeat); default DJANGO_SECRET_KEY",
      },
      'dry-run': { type: 'boolean', description: 'report what would be imported; write nothing' },
    },
  },
  async run({ positionals: [url], options }, ctx) {
    const fromEnv = ctx.io.env.DJANGO_SECRET_KEY;
    const djangoSecretKeys = options['django-secret-key'] ?? (fromEnv ? [fromEnv] : []);
    if (djangoSecretKeys.length === 0 || djangoSecretKeys.includes('')) {
      throw new UsageError("Django's SECRET_KEY is needed: --django-secret-key KEY or DJANGO_SECRET_KEY");
    }
    const database = parseDjangoDatabaseUrl(url, ctx.io.cwd);
    const dryRun = options['dry-run'] === true;
    // Without SECRET_KEY, loading the configuration would create var/secret.key; a dry run writes
    // nothing, and stamps no session, so any key will do.
    const config =
      dryRun && !ctx.io.env.SECRET_KEY
        ? loadConfig({ ...ctx.io.env, SECRET_KEY: DRY_RUN_SECRET_KEY }, ctx.io.cwd)
        : ctx.config();
    let source: DjangoSource | null = null;
    let target: ImportTarget | null = null;
    let report: ImportReport;
    try {
      source = await openDjangoSource(database);
      target = await openImportTarget(config, { readOnly: dryRun });
      report = await importDjango(source, target, {
        djangoSecretKeys,
        gatehouseSecretKey: config.secretKey,
        dryRun,
        events: {
          skipped: (row) => ctx.print(skippedLine(row)),
          note: (line) => ctx.print(line),
          progress: progressReporter(ctx),
        },
      });
    } finally {
      await target?.close();
      await source?.close();
    }
    if (dryRun) ctx.print('Dry run: nothing was written.');
    for (const line of detailLines(report)) ctx.print(line);
    ctx.print(summaryLine(report));
    await announce(ctx, report);
  },
});

/** `auth_user: 20000 of 100000` on a terminal, at most once a second per table, and at each table's end. */
function progressReporter(ctx: CommandContext): (table: DjangoTable, done: number, total: number) => void {
  let last = 0;
  return (table, done, total) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    ctx.progress(`${table}: ${done} of ${total}`);
  };
}

/**
 * With Redis, running servers cache users, sessions and tokens: what a re-run
 * changed or ended is published, so no server serves the old copy. (On SQLite
 * alone, servers see each commit through PRAGMA data_version; PostgreSQL
 * without Redis has no cache.)
 */
async function announce(ctx: CommandContext, report: ImportReport): Promise<void> {
  const { changedUserIds, endedSessionKeyHashes, endedTokenKeyHashes } = report;
  if (report.dryRun || !ctx.config().redisUrl) return;
  if (changedUserIds.length + endedSessionKeyHashes.length + endedTokenKeyHashes.length === 0) return;
  const { gh } = await ctx.open();
  for (const id of changedUserIds) await gh.revocations.userChanged(id);
  for (const keyHash of endedSessionKeyHashes) await gh.revocations.sessionEnded(keyHash);
  for (const keyHash of endedTokenKeyHashes) await gh.revocations.tokenRevoked(keyHash);
}
