import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** What @prisma/adapter-pg's transaction holds: the pool client it checked out. */
interface PooledTransaction extends Transaction {
  client?: { release(error?: Error | boolean): void };
  cleanup?: () => void;
}

const ENDINGS = new Set(["COMMIT", "ROLLBACK"]);

/**
 * Prisma 6.19's transaction manager ends an interactive transaction by sending COMMIT or ROLLBACK
 * and only then releasing the pool client. When the connection died mid-transaction (failover,
 * pg_terminate_backend, an idle-session timeout), that ROLLBACK throws and the client is never
 * released: each such drop leaked one of the pool's connections for good, until every transaction
 * waited and failed, and shutdown hung in pool.end(). This wrapper destroys the client when its
 * COMMIT/ROLLBACK fails, so the pool replaces it (tests/reliability/connection-drop.test.ts).
 */
export function releaseBrokenConnections<F extends SqlDriverAdapterFactory>(factory: F): F {
  // Own-property overrides rather than Proxies: every other call stays a plain method call (a
  // Proxy around the adapter made each query measurably slower).
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter: SqlDriverAdapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) =>
      releaseOnFailedEnding((await startTransaction(...args)) as PooledTransaction);
    return adapter;
  };
  return factory;
}

function releaseOnFailedEnding(transaction: PooledTransaction): Transaction {
  const executeRaw = transaction.executeRaw.bind(transaction);
  transaction.executeRaw = async (query: SqlQuery) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (ENDINGS.has(query.sql.trim().toUpperCase())) {
        transaction.cleanup?.();
        // release(error) destroys the client instead of returning it to the pool.
        transaction.client?.release(error instanceof Error ? error : true);
      }
      throw error;
    }
  };
  return transaction;
}
