/**
 * dendrux-ts workload: the package built from this repository (`npm run build` → dist/),
 * `new Agent({ provider, tools, databaseUrl })` with the scripted MockLLM; one agent per
 * process, a fresh script per run.
 */
import { createRequire } from "node:module";
import { z } from "zod";
import { Agent, tool } from "../../dist/index.js";
import { MockLLM } from "../../dist/llm/mock/index.js";
import { ITERATIONS, TOOL_TURNS, readSpec, report, timeRuns } from "./sample.mjs";

// The store's own better-sqlite3 (the repository root's): its connections are noted as they
// are set up, so the durability settings can be read back from them after the runs.
const Database = createRequire(new URL("../../package.json", import.meta.url))("better-sqlite3");
const connections = new Set();
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (...args) {
  connections.add(this);
  return pragma.apply(this, args);
};

delete process.env.DENDRUX_DATABASE_URL;
process.env.DENDRUX_LOG ??= "silent";
const spec = readSpec();
const add = tool({ name: "add", description: "Add.", parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => a + b });

function script() {
  const steps = [];
  for (let i = 1; i <= TOOL_TURNS; i++) steps.push({ toolCalls: [{ name: "add", params: { a: i, b: i } }] });
  steps.push("done");
  return new MockLLM(steps);
}

// The agent keeps one provider; each run gets a fresh MockLLM script behind it.
let current = script();
const provider = { model: current.model, capabilities: current.capabilities, complete: (request) => current.complete(request) };
const agent = new Agent({ provider, prompt: "p", tools: [add], maxIterations: ITERATIONS, ...(spec.url ? { databaseUrl: spec.url } : {}) });

const samples = await timeRuns(
  spec,
  () => script(),
  async (llm) => {
    current = llm;
    const result = await agent.run("go");
    if (result.status !== "success" || result.answer !== "done" || result.iterationCount !== ITERATIONS) throw new Error(`unexpected dendrux-ts result: ${result.status}`);
  },
);
let sqlite;
if (spec.backend === "sqlite") {
  const db = [...connections].find((c) => c.open && c.name === spec.path && !c.readonly);
  if (!db) throw new Error("no open store connection to read the durability settings from");
  sqlite = { journalMode: pragma.call(db, "journal_mode", { simple: true }), synchronous: pragma.call(db, "synchronous", { simple: true }), version: db.prepare("select sqlite_version()").pluck().get() };
}
await agent.close();
report({ samples, iterations: ITERATIONS, sqlite });
