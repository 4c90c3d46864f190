/**
 * What the PostgreSQL stores share: a pool that outlives the database going away, the translation of connection
 * failures into UnavailableError (so the gRPC layer answers UNAVAILABLE and clients retry, instead of INTERNAL), and
 * a transaction helper.
 */
import pg from 'pg';
import { ResourceExhaustedError, TaanError, UnavailableError } from '../errors/errors.js';

export interface PgOptions {
  /** Connections this process may hold; each replica has its own pool. Default 10. */
  maxConnections?: number;
  /** How long a call waits for a connection before failing with UnavailableError. Default 5000. */
  connectTimeoutMs?: number;
  /** Told about errors of idle connections (the database restarted, say); the pool drops them and reconnects. */
  onBackgroundError?: (err: Error) => void;
  /**
   * Told after every statement or transaction whether the database answered (true, even with an SQL error) or could
   * not be reached (false, with the error): the taan_store_up gauge and its log lines follow this.
   */
  onReachability?: (up: boolean, err?: Error) => void;
}

/**
 * Keys of the transaction-level advisory locks we take, as (class, object) pairs: the class spells "taan" so our
 * locks cannot collide with another application's on the same database. (Single-bigint keys, as pg-blob-store uses,
 * are a separate key space.)
 */
export const LOCK_CLASS = 0x7461616e;
export const LOCK_MIGRATE = 1;
export const LOCK_CREATE_JOB = 2;

/** Node socket errors that mean "no database there right now". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATEs for the server being gone, going or not accepting us yet: class 08 and these. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '58000', '58030']);

/** pg reports a lost or timed-out connection as a plain Error with no code; these are its messages. */
const LOST_CONNECTION = /connection terminated|not queryable|timeout exceeded when trying to connect|connection timeout/i;

/** Each pool's onReachability, so that query() and withTransaction() report without a parameter at every call site. */
const reachability = new WeakMap<pg.Pool, (up: boolean, err?: Error) => void>();

/** Reports the outcome of one call to the pool's onReachability, if it has one. */
function report(pool: pg.Pool, err?: unknown): void {
  const onReachability = reachability.get(pool);
  if (!onReachability) return;
  if (err !== undefined && isUnavailable(err)) onReachability(false, err as Error);
  else onReachability(true);
}

function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) {
    return true;
  }
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  return LOST_CONNECTION.test(err.message);
}

/** Our errors and SQL errors pass through; an unreachable database becomes UnavailableError. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof TaanError) return err;
  if (isUnavailable(err)) {
    return new UnavailableError(`the database is unavailable (${(err as Error).message || (err as { code?: string }).code}); retry later`);
  }
  if ((err as { code?: unknown } | undefined)?.code === '53100') {
    return new ResourceExhaustedError('the database is out of disk space');
  }
  return err;
}

export function connectionConfig(url: string, opts: PgOptions): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    keepAlive: true,
    // Times leave the server as text in some queries (json_agg); in UTC they always parse back with new Date().
    options: '-c TimeZone=UTC',
  };
}

export function createPool(url: string, opts: PgOptions = {}): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(url, opts), max: opts.maxConnections ?? 10 });
  // An idle connection that dies (database restart, network cut) is reported here; without a listener the 'error'
  // event would crash the process. The pool has already dropped the connection and opens a new one when needed.
  pool.on('error', (err) => opts.onBackgroundError?.(err));
  if (opts.onReachability) reachability.set(pool, opts.onReachability);
  return pool;
}

/** One query on any pooled connection, with errors translated. */
export async function query<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    const result = await pool.query<R>(sql, params);
    report(pool);
    return result;
  } catch (err) {
    report(pool, err);
    throw toStoreError(err);
  }
}

/**
 * Runs `fn` in one READ COMMITTED transaction on one connection; rolls back on any error. Row locks (FOR UPDATE) and
 * advisory locks inside `fn` do the serializing, so nothing here needs to retry serialization failures.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    report(pool, err);
    throw toStoreError(err);
  }
  // The pool listens for errors only on idle connections: one that dies while checked out between two queries
  // would otherwise emit an unhandled 'error' and crash the process. Remember it, and discard the connection.
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    report(pool);
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken ??= rollbackErr;
    });
    report(pool, err);
    throw toStoreError(err);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
