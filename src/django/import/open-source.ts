import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '../../errors.ts';
import { openSqliteDjangoSource } from '../../stores/sqlite/django-source.ts';
import type { DjangoSource } from './source.ts';

/** Where a Django database is: a SQLite file, or a PostgreSQL URL. */
export type DjangoDatabase = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const SCHEME = /^([a-z][a-z0-9+.-]{0,20}):/i;

/**
 * `DJANGO_DATABASE_URL` as dj-database-url writes it — `sqlite:///ABSOLUTE`,
 * `sqlite:RELATIVE`, `postgres://…` or `postgresql://…` — or a plain path to
 * the SQLite file (`db.sqlite3`), relative to `cwd`.
 *
 * ```ts
 * parseDjangoDatabaseUrl('sqlite:///srv/app/db.sqlite3', '/'); // { kind: 'sqlite', path: '/srv/app/db.sqlite3' }
 * parseDjangoDatabaseUrl('../app/db.sqlite3', '/srv/gh'); // { kind: 'sqlite', path: '/srv/app/db.sqlite3' }
 * ```
 */
export function parseDjangoDatabaseUrl(url: string, cwd: string): DjangoDatabase {
  if (typeof url !== 'string' || url === '' || url.length > 4096)
    throw new ConfigurationError('DJANGO_DATABASE_URL: give sqlite:///PATH, a file path, or postgres://…');
  const scheme = SCHEME.exec(url)?.[1].toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url };
  if (scheme === 'sqlite') {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs → /abs
    if (path === '' || path === ':memory:')
      throw new ConfigurationError('DJANGO_DATABASE_URL: sqlite: needs the path of the file');
    return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (scheme !== undefined && url.slice(scheme.length + 1).startsWith('//'))
    throw new ConfigurationError(
      `DJANGO_DATABASE_URL: unsupported scheme ${JSON.stringify(scheme)}; Gatehouse reads SQLite and PostgreSQL`,
    );
  return { kind: 'sqlite', path: resolve(cwd, url) };
}

/**
 * Opens the Django database read-only. The PostgreSQL driver is loaded only for a PostgreSQL URL.
 *
 * ```ts
 * const source = await openDjangoSource(parseDjangoDatabaseUrl(process.argv[2], process.cwd()));
 * ```
 */
export async function openDjangoSource(database: DjangoDatabase): Promise<DjangoSource> {
  if (database.kind === 'sqlite') return openSqliteDjangoSource(database.path);
  const { openPostgresDjangoSource } = await import('../../stores/postgres/django-source.ts');
  return openPostgresDjangoSource(database.url);
}
