import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { Agent, ChatMessage, ContextBlock, DendruxError, tool } from "../../src/index.js";
import type { AgentOptions } from "../../src/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { openDashboard } from "../../src/dashboard/index.js";
import { RunStore } from "../../src/store/index.js";
import { buildApp } from "../../examples/server/server.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";
import { FAULT_SCALE, FAULT_SEED } from "./support/fault-config.js";

const CASES = 60 * FAULT_SCALE;
/** fast-check's settings: seeded from the suite's seed, so a failure prints a replayable seed and path. */
const settings = (numRuns: number) => ({ seed: FAULT_SEED | 0, numRuns, endOnFailure: true });

/** Values nobody should pass, and some they might. */
const junk = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(null, undefined, NaN, Infinity, -1, 0, 1.5, "", " ", "\u0000", "x".repeat(5000), [], {}, [null], { then: 1 }, () => 1, Symbol("s")),
  fc.string(),
  fc.integer(),
);

const echo = tool({ name: "echo", description: "Echoes.", parameters: z.object({ text: z.string() }), execute: ({ text }) => text });
const pay = tool({ name: "pay", description: "Pays.", parameters: z.object({ amount: z.number() }), execute: ({ amount }) => ({ paid: amount }) });
const sheet = tool({ name: "read_sheet", description: "Runs in the browser.", parameters: z.object({}), target: "client", execute: () => "never here" });

/**
 * Crashes found, by signature (where + error class + message): every property
 * runs all its cases and the test then lists each distinct crash once.
 */
const crashes = new Map<string, string>();

/** Returns the class name of one of dendrux's typed errors; records anything else as a crash (and returns "crash"). */
function typed(error: unknown, where: string, example: string): string {
  if (DendruxError.isInstance(error) && (error as Error).message.length > 0) return (error as Error).name;
  const what = error instanceof Error ? `${error.name}: ${error.message.replace(/\s+/g, " ").slice(0, 160)}` : String(error);
  const signature = `${where} -> ${what}`;
  if (!crashes.has(signature)) crashes.set(signature, example);
  return "crash";
}

function crashesOf(where: string): string[] {
  return [...crashes].filter(([signature]) => signature.startsWith(where)).map(([signature, example]) => `${signature}   e.g. ${example}`);
}

/** Every row count and every run's status, updated time and pause: equal snapshots mean nothing changed. */
async function snapshot(url: string): Promise<string> {
  return withDatabase(url, async (db) => {
    const counts: number[] = [];
    for (const table of ["agent_runs", "react_traces", "tool_calls", "token_usage", "llm_interactions", "run_events"] as const) {
      counts.push((await db.selectFrom(table).select("id").execute()).length);
    }
    const runs = await db.selectFrom("agent_runs").select(["id", "status", "updated_at", "pause_data", "cancel_requested"]).orderBy("id").execute();
    return JSON.stringify({ counts, runs });
  });
}

describeEachBackend(`property-based fuzz (seed ${FAULT_SEED}, ${CASES} cases per property)`, (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  const figures: Record<string, Record<string, number>> = {};
  const tally = (property: string, outcome: string) => {
    figures[property] ??= {};
    figures[property][outcome] = (figures[property][outcome] ?? 0) + 1;
  };
  const make = (options: AgentOptions): Agent => {
    const agent = new Agent(options);
    agents.push(agent);
    return agent;
  };
  const base = (): AgentOptions => ({
    name: "Fuzzed",
    provider: new MockLLM(Array.from({ length: 50 }, () => "ok")),
    prompt: "p",
    tools: [echo, pay, sheet],
    requireApproval: ["pay"],
    databaseUrl: database.url,
  });

  beforeAll(async () => {
    crashes.clear();
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
    // A first run creates the SQLite schema, so every snapshot has tables to read.
    expect((await make(base()).run("warm up")).status).toBe("success");
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
    console.info(`[faults] fuzz ${backend.name}: ${JSON.stringify({ seed: FAULT_SEED, ...figures })}`);
  });

  it("Agent options: a typed error at construction or a run that works; nothing written on refusal", async () => {
    const keys = ["name", "provider", "prompt", "tools", "maxIterations", "maxDelegationDepth", "requireApproval", "deny", "budget", "loop", "strategy", "outputType", "guardrails", "skills", "denySkills", "heartbeatMs", "tenantId", "metadata", "notifier"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), junk, async (key, value) => {
        const before = await snapshot(database.url);
        let agent: Agent;
        try {
          agent = make({ ...base(), [key]: value } as AgentOptions);
        } catch (error) {
          tally("agentOptions", typed(error, `new Agent(${key})`, fc.stringify(value)));
          expect(await snapshot(database.url)).toBe(before);
          return;
        }
        try {
          const result = await agent.run("hello");
          tally("agentOptions", `run ${result.status}`);
        } catch (error) {
          tally("agentOptions", `run ${typed(error, `agent.run() with Agent(${key})`, fc.stringify(value))}`);
        }
      }),
      settings(CASES),
    );
    expect(crashesOf("new Agent(").concat(crashesOf("agent.run() with"))).toEqual([]);
  }, 120_000);

  it("run options: a typed error that writes nothing, or a run", async () => {
    const agent = make(base());
    const options = fc.record(
      {
        history: fc.oneof(junk, fc.constant([ChatMessage.user("hi"), ChatMessage.assistant("hello")]), fc.constant([ChatMessage.user("no answer")])),
        context: fc.oneof(junk, fc.constant([new ContextBlock("x")])),
        metadata: fc.oneof(junk, fc.dictionary(fc.string(), junk)),
        tenantId: junk,
        idempotencyKey: junk,
        outputType: junk,
        signal: junk,
        maxDelegationDepth: junk,
        temperature: junk,
        maxTokens: junk,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), junk), options, async (input, runOptions) => {
        const before = await snapshot(database.url);
        try {
          const result = await agent.run(input as string, runOptions as never);
          tally("runOptions", `run ${result.status}`);
        } catch (error) {
          const name = typed(error, "agent.run(input, options)", fc.stringify([input, runOptions]));
          tally("runOptions", name);
          if (name === "ValidationError") expect(await snapshot(database.url)).toBe(before);
        }
      }),
      settings(CASES),
    );
    expect(crashesOf("agent.run(input")).toEqual([]);
  }, 120_000);

  it("submit payloads on paused runs: a typed error that changes nothing, or a resume", async () => {
    const script = (req: { messages: readonly { role: string; content: string }[] }) => {
      const first = req.messages.find((m) => m.role === "user")!.content;
      if (req.messages.at(-1)!.role !== "user") return "done";
      return first === "approve" ? { toolCalls: [{ name: "pay", params: { amount: 5 } }, { name: "pay", params: { amount: 6 } }] } : { toolCalls: [{ name: "read_sheet" }] };
    };
    const agent = make({ ...base(), provider: new MockLLM(Array.from({ length: 5000 }, () => script)) });
    const paused: Record<string, string> = {};
    const pause = async (kind: "approve" | "client") => {
      const result = await agent.run(kind);
      expect(result.status).toBe(kind === "approve" ? "waiting_approval" : "waiting_client_tool");
      paused[kind] = result.runId;
    };
    await pause("approve");
    await pause("client");
    const callIds = fc.constantFrom("x", "", "01ZZZZZZZZZZZZZZZZZZZZZZZZ");
    const decision = fc.record({ callId: fc.oneof(callIds, junk), approved: fc.oneof(fc.boolean(), junk), reason: fc.oneof(fc.string(), junk) }, { requiredKeys: [] });
    const result = fc.record({ callId: fc.oneof(callIds, junk), name: fc.oneof(fc.constantFrom("read_sheet", "pay", "nope"), junk), payload: fc.oneof(fc.string(), junk), success: junk, error: junk }, { requiredKeys: [] });
    const submission = fc.oneof(
      fc.record({ method: fc.constant("submitApproval" as const), arg: fc.oneof(junk, fc.record({ approved: junk, rejectionReason: junk }, { requiredKeys: [] }), fc.record({ decisions: fc.oneof(junk, fc.array(decision, { maxLength: 4 })) })) }),
      fc.record({ method: fc.constant("submitToolResults" as const), arg: fc.oneof(junk, fc.array(fc.oneof(result, junk), { maxLength: 3 })) }),
      fc.record({ method: fc.constant("submitInput" as const), arg: junk }),
      fc.record({ method: fc.constant("resume" as const), arg: fc.oneof(junk, fc.record({ toolResults: junk, userInput: junk, decisions: junk }, { requiredKeys: [] })) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("approve" as const, "client" as const, "junk" as const), fc.oneof(fc.string(), junk), submission, async (target, junkId, { method, arg }) => {
        const runId = target === "junk" ? junkId : paused[target]!;
        const before = await snapshot(database.url);
        try {
          const call = agent[method] as (id: unknown, a: unknown) => Promise<{ status: string }>;
          const outcome = await call.call(agent, runId, arg);
          tally("submit", `accepted ${outcome.status}`);
          if (target !== "junk") await pause(target);
        } catch (error) {
          tally("submit", typed(error, `${method}(${target} run)`, fc.stringify(arg)));
          expect(await snapshot(database.url)).toBe(before);
        }
      }),
      settings(CASES * 2),
    );
    expect(["submitApproval", "submitToolResults", "submitInput", "resume"].flatMap((m) => crashesOf(`${m}(`))).toEqual([]);
  }, 180_000);

  it("every read route and the dashboard API: 4xx or 2xx for any parameter, never a 5xx, nothing written", async () => {
    const seeded = make({ ...base() });
    const done = await seeded.run("hello");
    const router = makeReadRouter({ store, authorize: () => undefined, metadataFilter: true });
    const dashboard = await openDashboard({ databaseUrl: database.url });
    const api = await listen(router.fetch);
    const ui = await listen(dashboard.app.fetch);
    const segment = fc.oneof(fc.constant(done.runId), fc.string(), fc.constantFrom("..", "%", "%00", "a/b", "' OR 1=1 --", "\u00e9", " "));
    const paths = ["/runs", "/runs/:id", "/runs/:id/events", "/runs/:id/llm-calls", "/runs/:id/tool-calls", "/runs/:id/traces", "/runs/:id/pauses", "/runs/:id/events/stream", "/health", "/:id"];
    const queryKey = fc.oneof(fc.constantFrom("status", "agent_name", "parent_run_id", "tenant_id", "started_after", "started_before", "limit", "offset", "after_sequence_index", "metadata.thread_id", "metadata.", "metadata.a b", "last_event_id"), fc.string());
    const queryValue = fc.oneof(fc.string(), fc.constantFrom("-1", "0", "1e9", "NaN", "2026-13-45", "running", "", "99999999999999999999"), fc.integer().map(String));
    const before = await snapshot(database.url);
    try {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.constantFrom(...paths), segment, fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }), fc.option(fc.string(), { nil: undefined }), async (onDashboard, template, id, query, lastEventId) => {
          const path = template.replace(":id", encodeURIComponent(id));
          const search = new URLSearchParams(query).toString();
          const url = `${onDashboard ? `${ui.url}/api` : api.url}${path}${search ? `?${search}` : ""}`;
          const controller = new AbortController();
          const headers: Record<string, string> = {};
          if (lastEventId !== undefined && /^[\x20-\x7e]*$/.test(lastEventId)) headers["last-event-id"] = lastEventId;
          const response = await fetch(url, { signal: controller.signal, headers });
          controller.abort();
          tally("http read", String(response.status));
          if (response.status >= 500) crashes.set(`GET ${onDashboard ? "dashboard /api" : "read router "}${template} -> ${response.status}`, url);
        }),
        settings(CASES * 3),
      );
    } finally {
      await api.close();
      await ui.close();
      await dashboard.close();
    }
    expect(await snapshot(database.url)).toBe(before);
    expect(crashesOf("GET ")).toEqual([]);
  }, 180_000);

  it("the example server's write routes: 4xx with a JSON detail for any bad body or parameter, never a 5xx; nothing changes on refusal", async () => {
    const { app, agent: serverAgent, close } = buildApp(database.url, null);
    const server = await listen(app.fetch);
    try {
      const paused = await serverAgent.run("Refund order 1");
      const route = fc.constantFrom("tool-results", "input", "approval");
      const body = fc.oneof(
        fc.json(),
        fc.string(),
        fc.constantFrom("", "null", "[]", "{", '{"results":[null]}', '{"results":{}}', '{"text":5}', '{"approved":"yes"}'),
        junk.map((v) => {
          try {
            return JSON.stringify(v) ?? "";
          } catch {
            return "";
          }
        }),
      );
      const contentType = fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "");
      await fc.assert(
        fc.asyncProperty(route, fc.oneof(fc.constant(paused.runId), fc.string()), body, contentType, async (name, id, text, type) => {
          const before = await snapshot(database.url);
          const response = await fetch(`${server.url}/api/runs/${encodeURIComponent(id)}/${name}`, { method: "POST", body: text, headers: type ? { "content-type": type } : {} });
          tally("http write", String(response.status));
          if (response.status >= 500) crashes.set(`POST /runs/:id/${name} (${type || "no content-type"}) -> ${response.status}`, text);
          else if (response.status >= 400) {
            const answer = await response.text();
            let detail: unknown = null;
            try {
              detail = (JSON.parse(answer) as { detail?: unknown }).detail;
            } catch {
              detail = null;
            }
            if (typeof detail !== "string") crashes.set(`POST /runs/:id/${name} -> ${response.status} without a JSON detail`, `${text} answered ${answer}`);
            expect(await snapshot(database.url)).toBe(before);
          }
        }),
        settings(CASES * 2),
      );
      expect(crashesOf("POST ")).toEqual([]);
    } finally {
      await server.close();
      await close();
    }
  }, 180_000);
});
