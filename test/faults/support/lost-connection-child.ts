/**
 * Holds one pooled connection (as a transaction or a run's write does), has its
 * backend terminated from another connection, then uses the database again.
 * Prints `SURVIVED` if the process lived through it. Arguments: databaseUrl adminUrl.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import { createDialect } from "../../../src/store/dialect/create-dialect.js";
import { parseDatabaseUrl } from "../../../src/store/database-url.js";

const [databaseUrl, adminUrl] = process.argv.slice(2);
const { default: pg } = await import("pg");
const db = await createDialect(parseDatabaseUrl(databaseUrl!)).createKysely();
await db
  .connection()
  .execute(async (connection) => {
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(connection);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await admin.end();
    await sleep(300);
  })
  .catch(() => undefined);
const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
await db.destroy();
process.stdout.write(rows[0]?.one === 1 ? "SURVIVED\n" : "WRONG\n");
