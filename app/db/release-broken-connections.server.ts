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
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property !== "connect") return Reflect.get(target, property, receiver);
      return async () => wrapAdapter(await target.connect());
    },
  });
}

function wrapAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property !== "startTransaction") return Reflect.get(target, property, receiver);
      return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
        wrapTransaction((await target.startTransaction(...args)) as PooledTransaction);
    },
  });
}

function wrapTransaction(transaction: PooledTransaction): Transaction {
  return new Proxy(transaction, {
    get(target, property, receiver) {
      if (property !== "executeRaw") return Reflect.get(target, property, receiver);
      return async (query: SqlQuery) => {
        try {
          return await target.executeRaw(query);
        } catch (error) {
          if (ENDINGS.has(query.sql.trim().toUpperCase())) {
            target.cleanup?.();
            // release(error) destroys the client instead of returning it to the pool.
            target.client?.release(error instanceof Error ? error : true);
          }
          throw error;
        }
      };
    },
  });
}
