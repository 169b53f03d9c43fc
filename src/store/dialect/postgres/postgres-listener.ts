import { logger } from "../../../util/logger.js";

/** The subset of `pg.Client` the listener uses (structural, so `pg` stays optional). */
interface ListenClient {
  connect(): Promise<void>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error" | "end", listener: (error?: Error) => void): unknown;
  removeAllListeners(): unknown;
}

export interface PostgresListenerOptions {
  readonly connectionString: string;
  readonly channel: string;
  readonly onPayload: (payload: string | undefined) => void;
  /** Called after every (re)connection once `LISTEN` is in place: the caller catches up from the database. */
  readonly onListening: () => void;
}

const BACKOFF_MS = [50, 100, 250, 500, 1000, 2000] as const;

/**
 * One dedicated connection holding `LISTEN <channel>`. A dropped connection
 * (server restart, `pg_terminate_backend`) reconnects with backoff; after each
 * reconnection `onListening` runs, so what was sent meanwhile is read back.
 */
export class PostgresListener {
  readonly #options: PostgresListenerOptions;
  #client: ListenClient | null = null;
  #closed = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ready: Promise<void> | null = null;
  readonly #dead = new WeakSet<ListenClient>();

  constructor(options: PostgresListenerOptions) {
    this.#options = options;
  }

  /** Resolves once the first `LISTEN` is in place (or the first attempt failed; retries go on). */
  start(): Promise<void> {
    this.#ready ??= this.#connect();
    return this.#ready;
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    let client: ListenClient | null = null;
    try {
      const { default: pg } = await import("pg");
      client = new pg.Client({ connectionString: this.#options.connectionString }) as unknown as ListenClient;
      client.on("error", () => this.#lost(client!));
      client.on("end", () => this.#lost(client!));
      client.on("notification", (message) => {
        if (message.channel === this.#options.channel) this.#options.onPayload(message.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${this.#options.channel}`);
      if (this.#closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.#client = client;
      this.#attempt = 0;
      this.#options.onListening();
    } catch (error) {
      logger.warn("PostgreSQL LISTEN connection failed; retrying", error);
      if (client) this.#lost(client);
      else this.#schedule();
    }
  }

  #lost(client: ListenClient): void {
    if (this.#dead.has(client)) return;
    this.#dead.add(client);
    client.removeAllListeners();
    // Keep an error listener: a late socket error on a dead client must not crash the process.
    client.on("error", () => undefined);
    void client.end().catch(() => undefined);
    if (this.#client === client) this.#client = null;
    else if (this.#client !== null) return;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    const delay = BACKOFF_MS[Math.min(this.#attempt++, BACKOFF_MS.length - 1)];
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    if (client) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
