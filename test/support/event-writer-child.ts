/**
 * Writes `count` events to an existing run through the runtime's writer, one
 * every `gapMs`, then prints DONE: a writer in another process.
 */
import { RunWriter } from "../../src/store/run-writer.js";
import { createDialect } from "../../src/store/dialect/create-dialect.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";

const [url, runId, count, gapMs] = process.argv.slice(2) as [string, string, string, string];
const dialect = createDialect(parseDatabaseUrl(url));
const db = await dialect.createKysely();
const writer = await RunWriter.resume(db, dialect.adapter, runId);
for (let i = 0; i < Number(count); i++) {
  await writer.emit("test.tick", { i });
  if (Number(gapMs) > 0) await new Promise((r) => setTimeout(r, Number(gapMs)));
}
await db.destroy();
process.stdout.write("DONE\n");
