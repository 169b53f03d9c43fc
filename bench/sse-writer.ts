/**
 * The bench's writer in another process: appends `count` events to each of
 * the given runs through the runtime's writer, round-robin, `gapMs` apart.
 *
 *   tsx bench/sse-writer.ts <databaseUrl> <count> <gapMs> <runId>…
 */
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { createDialect } from "../src/store/dialect/create-dialect.js";
import { RunWriter } from "../src/store/run-writer.js";

const [url, count, gapMs, ...runIds] = process.argv.slice(2) as [string, string, string, ...string[]];
const dialect = createDialect(parseDatabaseUrl(url));
const db = await dialect.createKysely();
const writers = await Promise.all(runIds.map((id) => RunWriter.resume(db, dialect.adapter, id)));
for (let i = 0; i < Number(count); i++) {
  for (const writer of writers) await writer.emit("bench.tick", { t: performance.timeOrigin + performance.now() });
  await new Promise((r) => setTimeout(r, Number(gapMs)));
}
await db.destroy();
