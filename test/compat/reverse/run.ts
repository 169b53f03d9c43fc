/**
 * `npm run compat:reference`: the Python reference reads and resumes runs we wrote, on SQLite and PostgreSQL.
 *
 * Needs the reference venv (DX_REF, default /tmp/dx-ref; see test/compat/reference/README.md) and, for PostgreSQL,
 * DENDRUX_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres). Not part of CI: CI never needs
 * Python. Exits non-zero when any check fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migratePostgres } from "../../../src/store/migrate.js";
import { withDatabase } from "../../support/backends.js";
import { writeOurRuns } from "./our-runs.js";

const here = dirname(fileURLToPath(import.meta.url));
const python = join(process.env.DX_REF ?? "/tmp/dx-ref", "bin", "python");
const reader = join(here, "..", "reference", "read_ours.py");
const adminUrl = process.env.DENDRUX_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

if (!existsSync(python)) {
  console.error(`No reference venv at ${dirname(dirname(python))}: build it as test/compat/reference/README.md says, or set DX_REF.`);
  process.exit(2);
}

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

function check(backend: string, url: string, dir: string, runs: unknown): boolean {
  const manifest = join(dir, `${backend}-manifest.json`);
  writeFileSync(manifest, JSON.stringify({ backend, url, runs }, null, 1));
  console.log(`\n== ${backend}: the reference reads and resumes ${(runs as unknown[]).length} runs we wrote ==`);
  const result = spawnSync(python, [reader, manifest], { stdio: "inherit" });
  return result.status === 0;
}

const dir = mkdtempSync(join(tmpdir(), "dendrux-compat-reverse-"));
let ok = true;
try {
  const sqliteUrl = `sqlite+aiosqlite:///${join(dir, "ours.db")}`;
  ok = check("sqlite", sqliteUrl, dir, await writeOurRuns(sqliteUrl)) && ok;

  const name = `dx_compat_reverse_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    const base = new URL(adminUrl);
    base.pathname = `/${name}`;
    const migrated = await withDatabase(base.toString(), (db) => migratePostgres(db));
    if (migrated.error) throw migrated.error;
    const pgUrl = base.toString().replace(/^postgres(ql)?:/, "postgresql+asyncpg:");
    ok = check("postgres", pgUrl, dir, await writeOurRuns(pgUrl)) && ok;
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(ok ? "\nreference compatibility: all checks passed" : "\nreference compatibility: FAILED");
process.exit(ok ? 0 : 1);
