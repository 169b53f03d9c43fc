import type { Kysely, KyselyPlugin } from "kysely";
import { sql } from "kysely";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import type { StoreAdapter } from "../../src/store/dialect/store-dialect.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { RunStore } from "../../src/store/run-store.js";
import { RunWriter } from "../../src/store/run-writer.js";
import type { Database } from "../../src/store/schema.js";
import type { TestDatabase } from "./backends.js";

/** A store whose every query is counted (a Kysely plugin), pushed by LISTEN on PostgreSQL. */
export async function countingStore(database: TestDatabase, pollIntervalMs = 60_000): Promise<{ store: RunStore; queries: () => number; close: () => Promise<void> }> {
  const dialect = createDialect(parseDatabaseUrl(database.url));
  const db = await dialect.createKysely();
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      count += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const store = RunStore.fromKysely(db.withPlugin(plugin), database.kind, { pollIntervalMs, ...(database.kind === "postgres" ? { listenUrl: database.url } : {}) });
  return {
    store,
    queries: () => count,
    close: async () => {
      await store.close();
      await db.destroy();
    },
  };
}

/** Writes events straight through the runtime's writer (NOTIFY and in-process signal included). */
export async function openEventWriter(url: string): Promise<{ db: Kysely<Database>; adapter: StoreAdapter; createRun: (runId: string, options?: { tenantId?: string; meta?: Record<string, unknown> }) => Promise<RunWriter>; close: () => Promise<void> }> {
  const dialect = createDialect(parseDatabaseUrl(url));
  const db = await dialect.createKysely();
  await dialect.prepare(db);
  const { adapter } = dialect;
  return {
    db,
    adapter,
    async createRun(runId, options = {}) {
      const now = adapter.timestamp(new Date());
      await sql`INSERT INTO agent_runs (id, tenant_id, agent_name, status, meta, iteration_count, delegation_level, total_input_tokens, total_output_tokens, total_cache_read_tokens, total_cache_creation_tokens, total_reasoning_tokens, cancel_requested, created_at, updated_at)
        VALUES (${runId}, ${options.tenantId ?? null}, 'Writer', 'running', ${adapter.json(options.meta ?? {})}, 0, 0, 0, 0, 0, 0, 0, ${adapter.bool(false)}, ${now}, ${now})`.execute(db);
      return new RunWriter(db, adapter, runId);
    },
    close: () => db.destroy(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (test-side only) until it is true; throws with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface LiveSse {
  readonly frames: { id?: string; data?: Record<string, unknown>; comment?: string }[];
  readonly status: Promise<number>;
  close(): void;
}

/** Opens an SSE stream and collects its frames in the background until `close()`. */
export function openSse(url: string, headers: Record<string, string> = {}): LiveSse {
  const controller = new AbortController();
  const frames: LiveSse["frames"] = [];
  const status = fetch(url, { headers, signal: controller.signal }).then((response) => {
    void (async () => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const raw = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame: LiveSse["frames"][number] = {};
            for (const line of raw.split("\n")) {
              if (line.startsWith(":")) frame.comment = line.slice(1).trim();
              else if (line.startsWith("id: ")) frame.id = line.slice(4);
              else if (line.startsWith("data: ")) frame.data = JSON.parse(line.slice(6)) as Record<string, unknown>;
            }
            frames.push(frame);
          }
        }
      } catch {
        // aborted by close()
      }
    })();
    return response.status;
  });
  status.catch(() => undefined);
  return { frames, status, close: () => controller.abort() };
}
