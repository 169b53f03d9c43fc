import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { SQLITE_READ_WORKER_SOURCE } from "./sqlite-read-worker.js";

export interface SqliteReadPoolConfig {
  readonly path: string;
  readonly readOnly: boolean;
  /** Most threads open at once; one is started at the first query, more only while all are busy. */
  readonly threads: number;
  /** Pragmas each thread's connection runs after opening (`query_only` is added). */
  readonly pragmas: readonly string[];
}

interface Pending {
  readonly resolve: (result: QueryResult<unknown>) => void;
  readonly reject: (error: Error) => void;
}

interface Reply {
  readonly id: number;
  readonly rows?: unknown[];
  readonly changes?: number;
  readonly error?: { message: string; code?: string; name?: string };
}

/** A query error from a read thread, with the driver's `code` (so `isTransient` still applies). */
function threadError(error: NonNullable<Reply["error"]>): Error {
  return Object.assign(new Error(error.message), { code: error.code, name: error.name ?? "SqliteError" });
}

/** One read thread: a connection that runs one query at a time. */
class ReadThread implements DatabaseConnection {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | null = null;

  constructor(config: SqliteReadPoolConfig, driver: string) {
    this.#worker = new Worker(SQLITE_READ_WORKER_SOURCE, {
      eval: true,
      workerData: { path: config.path, readOnly: config.readOnly, pragmas: config.pragmas, driver },
    });
    this.#worker.on("message", (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (reply.error) pending.reject(threadError(reply.error));
      else pending.resolve({ rows: reply.rows ?? [], ...(reply.changes !== undefined ? { numAffectedRows: BigInt(reply.changes) } : {}) });
    });
    const fail = (error: Error) => {
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => fail(new Error(`SQLite read thread exited (code ${code}).`)));
    // An idle thread does not keep the process alive; one with a query in flight does.
    this.#worker.unref();
  }

  /** False once the thread died: the pool replaces it. */
  get alive(): boolean {
    return this.#failure === null;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as Pending["resolve"], reject });
      this.#worker.postMessage({ id, sql: compiled.sql, parameters: compiled.parameters });
    });
  }

  // eslint-disable-next-line require-yield -- the interface wants an async iterator; streaming is not offered
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The SQLite read pool does not stream query results.");
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    this.#worker.postMessage("close");
    await this.#worker.terminate();
  }
}

/** Hands out read threads one query (or transaction) at a time, queueing callers while all are busy. */
class ReadPoolDriver implements Driver {
  readonly #config: SqliteReadPoolConfig;
  readonly #driver: string;
  readonly #idle: ReadThread[] = [];
  readonly #all = new Set<ReadThread>();
  readonly #waiting: ((thread: ReadThread) => void)[] = [];

  constructor(config: SqliteReadPoolConfig) {
    this.#config = Object.freeze({ ...config });
    // The thread loads the same better-sqlite3 this package resolves, wherever it is installed.
    this.#driver = createRequire(import.meta.url).resolve("better-sqlite3");
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    for (let thread = this.#idle.pop(); thread; thread = this.#idle.pop()) {
      if (thread.alive) return thread;
      this.#all.delete(thread);
    }
    if (this.#all.size < this.#config.threads) {
      const thread = new ReadThread(this.#config, this.#driver);
      this.#all.add(thread);
      return thread;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const thread = connection as ReadThread;
    if (!thread.alive) {
      this.#all.delete(thread);
      const next = this.#waiting.shift();
      if (next) next((await this.acquireConnection()) as ReadThread);
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(thread);
    else this.#idle.push(thread);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "begin", parameters: [] } as unknown as CompiledQuery);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "commit", parameters: [] } as unknown as CompiledQuery);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: "rollback", parameters: [] } as unknown as CompiledQuery);
  }

  async destroy(): Promise<void> {
    const threads = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(threads.map((t) => t.close()));
  }
}

/**
 * A Kysely dialect whose queries run on worker threads, each with its own
 * read-only connection to the SQLite file, so a slow query never blocks the
 * event loop: other requests and open streams go on while it runs.
 */
export class SqliteReadPoolDialect implements Dialect {
  readonly #config: SqliteReadPoolConfig;

  constructor(config: SqliteReadPoolConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new ReadPoolDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
