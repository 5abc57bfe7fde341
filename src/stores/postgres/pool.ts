import pg from 'pg';
import { ConfigurationError } from '../../errors.ts';

export interface PostgresPoolOptions {
  /** Connections at most (default 10). */
  poolSize?: number;
  /** Server-side `statement_timeout` for every statement (default 2000 ms). */
  statementTimeoutMs?: number;
  /** How long to wait for a connection, new or from the pool (default 2000 ms). */
  connectTimeoutMs?: number;
  /** When set, every connection's `search_path` is this schema alone. */
  schema?: string;
}

const INT8_OID = 20;

/**
 * BIGINT columns (ids, millisecond times) arrive as strings by default, since
 * an int8 may exceed 2^53. Ours never do, so they are parsed as numbers, but in
 * this pool only: changing `pg.types` would change it for every user of `pg`.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Lower-case identifiers only, so the name needs no quoting anywhere it goes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a schema option once, at start-up.
 *
 * ```ts
 * checkSchemaName('gatehouse'); // returns it; 'Bad-Name' throws ConfigurationError
 * ```
 */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigurationError(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`);
  }
  return schema;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * A `pg.Pool` that never hangs and never crashes the process:
 * - `statement_timeout` makes the server cancel slow statements (57014), and a
 *   client-side read timeout a little later covers a server that stopped
 *   answering altogether;
 * - `connectionTimeoutMillis` bounds both opening a connection and waiting for a free one;
 * - TCP keep-alive finds half-open connections;
 * - the pool's 'error' event (an idle connection died, e.g. the server
 *   restarted) is handled: pg-pool has already discarded that client, and the
 *   next checkout opens a fresh one, which is how the pool recovers by itself.
 *
 * ```ts
 * const pool = createPostgresPool('postgres://app@db/app', { schema: 'gatehouse' });
 * ```
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  const statementTimeoutMs = positiveInteger('statementTimeoutMs', options.statementTimeoutMs ?? 2000);
  const connectTimeoutMs = positiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? 2000);
  const pool = new pg.Pool({
    connectionString: url,
    max: positiveInteger('poolSize', options.poolSize ?? 10),
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1000,
    keepAlive: true,
    types,
    // A startup parameter rather than a SET after connecting: no extra round
    // trip, and no window in which a connection is in the pool with the wrong path.
    ...(options.schema === undefined ? {} : { options: `-c search_path=${checkSchemaName(options.schema)}` }),
  });
  pool.on('error', () => {
    // Deliberately ignored: the dead idle client is already out of the pool,
    // and the next operation either reconnects or fails with StoreUnavailableError.
  });
  return pool;
}
