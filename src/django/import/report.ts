import type { DjangoTable } from './source.ts';

/** A Django row the import did not bring, and why. `ref` names it without a secret (never a key). */
export interface SkippedRow {
  table: DjangoTable;
  ref: string;
  why: string;
}

/** Rows of one kind this run created, and rows it changed. */
export interface ImportCounts {
  created: number;
  updated: number;
}

/** What one run did (or, dry, would do). */
export interface ImportReport {
  dryRun: boolean;
  users: ImportCounts;
  tokens: ImportCounts;
  sessions: ImportCounts;
  refreshTokens: ImportCounts;
  /** Rows not brought, each also reported through `onSkip`. */
  skipped: number;
  /** Gatehouse copies of sessions and tokens Django no longer has or honours (logged out there), ended. */
  ended: { sessions: number; tokens: number };
  /** Users deleted in Django since the last run, deactivated here (never deleted). */
  deactivated: number;
  /** Users this run changed or deactivated: cached copies on running servers must drop them. */
  changedUserIds: number[];
  /** Key hashes of the sessions and tokens this run ended, for the same reason. */
  endedSessionKeyHashes: string[];
  endedTokenKeyHashes: string[];
}

export function emptyReport(dryRun: boolean): ImportReport {
  const counts = () => ({ created: 0, updated: 0 });
  return {
    dryRun,
    users: counts(),
    tokens: counts(),
    sessions: counts(),
    refreshTokens: counts(),
    skipped: 0,
    ended: { sessions: 0, tokens: 0 },
    deactivated: 0,
    changedUserIds: [],
    endedSessionKeyHashes: [],
    endedTokenKeyHashes: [],
  };
}

/**
 * One skipped row on one line: `Skipped django_session sha256:1a2b3c4d5e6f user=12: expired`.
 *
 * ```ts
 * skippedLine({ table: 'auth_user', ref: 'id=7', why: 'unreadable date_joined' }); // 'Skipped auth_user id=7: unreadable date_joined'
 * ```
 */
export function skippedLine(row: SkippedRow): string {
  return `Skipped ${row.table} ${row.ref}: ${row.why}`;
}

/**
 * The contract's summary: `Imported U users, T tokens, S sessions (skipped K).`,
 * counting what the run created or updated; `Would import …` for a dry run.
 *
 * ```ts
 * summaryLine(report); // 'Imported 21 users, 4 tokens, 6 sessions (skipped 5).'
 * ```
 */
export function summaryLine(report: ImportReport): string {
  const n = (c: ImportCounts) => c.created + c.updated;
  const verb = report.dryRun ? 'Would import' : 'Imported';
  return `${verb} ${n(report.users)} users, ${n(report.tokens)} tokens, ${n(report.sessions)} sessions (skipped ${report.skipped}).`;
}

/**
 * The lines besides the summary: refresh tokens, and what ended because Django ended it. Empty when there is nothing to say.
 *
 * ```ts
 * detailLines(report); // ['Imported 2 refresh tokens.', 'Ended 1 session that Django no longer has or honours.']
 * ```
 */
export function detailLines(report: ImportReport): string[] {
  const lines: string[] = [];
  const would = report.dryRun;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const refresh = report.refreshTokens.created + report.refreshTokens.updated;
  if (refresh > 0) lines.push(`${would ? 'Would import' : 'Imported'} ${plural(refresh, 'refresh token')}.`);
  const { sessions, tokens } = report.ended;
  if (sessions + tokens > 0) {
    const what = [sessions && plural(sessions, 'session'), tokens && plural(tokens, 'token')].filter(Boolean);
    lines.push(
      `${would ? 'Would end' : 'Ended'} ${what.join(' and ')} that Django no longer has or honours.`,
    );
  }
  if (report.deactivated > 0) {
    lines.push(
      `${would ? 'Would deactivate' : 'Deactivated'} ${plural(report.deactivated, 'user')} deleted in Django since the last run.`,
    );
  }
  return lines;
}
