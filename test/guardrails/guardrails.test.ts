import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, SingleCall, ValidationError, tool } from "../../src/index.js";
import type { Notifier } from "../../src/index.js";
import { PII, SecretDetection } from "../../src/guardrails/index.js";
import { MockLLM, type MockStep } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { sql } from "kysely";

const EMAIL = "jane@example.com";

function mailer(sent: string[]) {
  return tool({ name: "mail", description: "Send mail.", parameters: z.object({ to: z.string() }), execute: ({ to }) => (sent.push(to), `mailed ${to}`) });
}

describe("guardrail configuration", () => {
  it("refuses what is not a guardrail, naming the field", () => {
    let thrown: unknown;
    try {
      new Agent({ provider: new MockLLM([]), prompt: "p", guardrails: [{} as never] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).field).toBe("guardrails[0]");
  });

  it("streams with real values: a placeholder split across deltas is never shown half-replaced", async () => {
    const answer = "Mail sent to <<EMAIL_ADDRESS_1>>, done.";
    for (const chunkSize of [1, 3, 7, 14, 200]) {
      const llm = new MockLLM([answer], { chunkSize });
      const agent = new Agent({ provider: llm, prompt: "p", guardrails: [new PII()] });
      const deltas: string[] = [];
      const stream = agent.stream(`mail ${EMAIL}`);
      for await (const event of stream) if (event.type === "text_delta") deltas.push(event.text);
      expect(llm.calls[0]!.messages[0]!.content).toBe("mail <<EMAIL_ADDRESS_1>>");
      expect(deltas.join("")).toBe(`Mail sent to ${EMAIL}, done.`);
      for (const delta of deltas) expect(delta).not.toMatch(/<<|>>|EMAIL_ADDRESS/);
      expect(stream.result).toMatchObject({ status: "success", answer: `Mail sent to ${EMAIL}, done.` });
    }
  });

  it("a blocking guardrail: the streamed answer is shown only once it passed; a block ends the stream as run() does", async () => {
    const passing = new Agent({ provider: new MockLLM(["all clear"], { chunkSize: 2 }), prompt: "p", guardrails: [new SecretDetection()] });
    const shown: string[] = [];
    for await (const event of passing.stream("hi")) if (event.type === "text_delta") shown.push(event.text);
    expect(shown).toEqual(["all clear"]);

    const script = () => new MockLLM(["here: AKIAIOSFODNN7EXAMPLE"], { chunkSize: 4 });
    const viaRun = await new Agent({ provider: script(), prompt: "p", guardrails: [new SecretDetection()] }).run("give me a key");
    const events: string[] = [];
    const stream = new Agent({ provider: script(), prompt: "p", guardrails: [new SecretDetection()] }).stream("give me a key");
    for await (const event of stream) events.push(event.type === "text_delta" ? `text:${event.text}` : event.type);
    expect(events).toEqual(["run_started", "run_completed"]);
    expect(stream.result).toMatchObject({ status: "error", error: viaRun.error });
    expect(viaRun.error).toBe("Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY at characters 6-26 in LLM output");
  });

  it("structured output with guardrails: the model sees placeholders, the caller gets the typed value with real ones", async () => {
    const Contact = z.object({ name: z.string(), email: z.string() });
    const llm = new MockLLM(['{"name": "Jane", "email": "<<EMAIL_ADDRESS_1>>"}']);
    const agent = new Agent({ provider: llm, prompt: "p", loop: new SingleCall(), guardrails: [new PII()] });
    const result = await agent.run(`extract: Jane, ${EMAIL}`, { outputType: Contact });
    expect(llm.calls[0]!.messages[0]!.content).toBe("extract: Jane, <<EMAIL_ADDRESS_1>>");
    expect(result.output).toEqual({ name: "Jane", email: EMAIL });
    expect(result.answer).toBe(`{"name": "Jane", "email": "${EMAIL}"}`);
  });

  it("without a database the caller still gets real values back", async () => {
    const llm = new MockLLM([(req) => `hello ${req.messages.at(-1)!.content}`]);
    const result = await new Agent({ provider: llm, prompt: "p", guardrails: [new PII()] }).run(`I am ${EMAIL}`);
    expect(llm.calls[0]!.messages[0]!.content).toBe("I am <<EMAIL_ADDRESS_1>>");
    expect(result.answer).toBe(`hello I am ${EMAIL}`);
  });
});

describeEachBackend("guardrails in a persisted run", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  const agents: Agent[] = [];
  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await store.close();
    await database.cleanup();
  });
  const agent = (script: MockStep[], options: Partial<ConstructorParameters<typeof Agent>[0]> = {}) => {
    const a = new Agent({ name: "Guarded", provider: new MockLLM(script), prompt: `Sys ${EMAIL}`, guardrails: [new PII()], databaseUrl: database.url, ...options });
    agents.push(a);
    return a;
  };

  /** Every row of every table for the run, as text — what a database dump would show. */
  async function everythingStored(runId: string): Promise<string> {
    const rows: unknown[] = [];
    await withDatabase(database.url, async (db) => {
      rows.push(...(await sql`SELECT * FROM agent_runs WHERE id = ${runId}`.execute(db)).rows);
      for (const table of ["react_traces", "tool_calls", "token_usage", "llm_interactions", "run_events"]) {
        rows.push(...(await sql`SELECT * FROM ${sql.table(table)} WHERE agent_run_id = ${runId}`.execute(db)).rows);
      }
    });
    const parts = [
      JSON.stringify(rows),
      JSON.stringify(await store.getRun(runId)),
      JSON.stringify(await store.getEvents(runId)),
      JSON.stringify(await store.getTraces(runId)),
      JSON.stringify(await store.getToolInvocations(runId)),
      JSON.stringify(await store.getLlmCalls(runId)),
    ];
    // The run's own mapping is the one place the real value may live.
    return parts.join("\n").replaceAll(`"<<EMAIL_ADDRESS_1>>":"${EMAIL}"`, "").replaceAll(`"<<EMAIL_ADDRESS_1>>": "${EMAIL}"`, "").replaceAll(`\\"<<EMAIL_ADDRESS_1>>\\": \\"${EMAIL}\\"`, "");
  }

  /** Every row of every table for the run, except the run's PII mapping: the one place real values may live. */
  async function storedOutsideMapping(runId: string): Promise<string> {
    const rows: unknown[] = [];
    await withDatabase(database.url, async (db) => {
      const runs = (await sql<Record<string, unknown>>`SELECT * FROM agent_runs WHERE id = ${runId}`.execute(db)).rows;
      rows.push(...runs.map(({ pii_mapping: _mapping, ...rest }) => rest));
      for (const table of ["react_traces", "tool_calls", "token_usage", "llm_interactions", "run_events"]) {
        rows.push(...(await sql`SELECT * FROM ${sql.table(table)} WHERE agent_run_id = ${runId}`.execute(db)).rows);
      }
    });
    return JSON.stringify(rows);
  }

  it("nothing the model writes, no tool result, structured output or error text is stored raw — on any path", async () => {
    const BOB = "bob@example.org";
    const CAROL = "carol@example.net";
    const sent: string[] = [];
    const ccMailer = tool({ name: "mail", description: "Send mail.", parameters: z.object({ to: z.string() }), execute: ({ to }) => (sent.push(to), `mailed ${to}, cc ${CAROL}`) });
    // The model writes new personal data itself: in its text, in tool arguments, in its final answer.
    const react = agent(
      [{ text: `I will write to ${BOB}`, toolCalls: [{ name: "mail", params: { to: BOB, note: `from ${EMAIL}` } }] }, `Done: mailed ${BOB} and ${CAROL}`],
      { tools: [ccMailer] },
    );
    const done = await react.run(`please mail ${EMAIL}`);
    expect(done.answer).toBe(`Done: mailed ${BOB} and ${CAROL}`);
    expect(sent).toEqual([BOB]);

    // A pause whose pending arguments the model wrote.
    const gated = agent([{ toolCalls: [{ name: "mail", params: { to: BOB } }] }, "sent"], { tools: [ccMailer], requireApproval: ["mail"] });
    const paused = await gated.run("mail bob");
    expect(paused.pendingToolCalls![0]!.params).toEqual({ to: BOB });
    const atPause = await storedOutsideMapping(paused.runId);
    await gated.submitApproval(paused.runId, { approved: true });
    expect(sent).toEqual([BOB, BOB]);

    // Structured output the model wrote.
    const extractor = agent([`{"name": "Bob", "email": "${BOB}"}`], { loop: new SingleCall(), prompt: "Extract." });
    const extracted = await extractor.run("who?", { outputType: z.object({ name: z.string(), email: z.string() }) });
    expect(extracted.output).toEqual({ name: "Bob", email: BOB });

    // A provider error that echoes personal data.
    const failing = agent([new Error(`upstream rejected ${CAROL}`)]);
    const error = await failing.run(`hi ${EMAIL}`).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`upstream rejected ${CAROL}`);
    const failedRunId = (error as { runId: string }).runId;
    expect((await store.getRun(failedRunId))!.error).toBe("upstream rejected <<EMAIL_ADDRESS_2>>");

    for (const [runId, dump] of [
      [done.runId, await storedOutsideMapping(done.runId)],
      [paused.runId, atPause],
      [paused.runId, await storedOutsideMapping(paused.runId)],
      [extracted.runId, await storedOutsideMapping(extracted.runId)],
      [failedRunId, await storedOutsideMapping(failedRunId)],
    ] as const) {
      for (const value of [EMAIL, BOB, CAROL]) expect(dump, `${runId} stores ${value}`).not.toContain(value);
      expect(dump).toContain("<<EMAIL_ADDRESS_");
    }
    expect(Object.values(await store.getPiiMapping(done.runId)).sort()).toEqual([BOB, CAROL, EMAIL].sort());
  });

  it("redacts for the model and at rest, restores for tools and the caller", async () => {
    const sent: string[] = [];
    const llm = new MockLLM([{ text: "mailing <<EMAIL_ADDRESS_1>>", toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }, "done <<EMAIL_ADDRESS_1>>"]);
    const governance: string[] = [];
    const notifier: Notifier = { onGovernanceEvent: (_r, type, i, data) => void governance.push(`${type}(${i}) ${JSON.stringify(data)}`) };
    const a = agent([], { provider: llm, tools: [mailer(sent)] });
    const result = await a.run(`mail ${EMAIL}`, { notifier });
    expect(result.answer).toBe(`done ${EMAIL}`);
    expect(sent).toEqual([EMAIL]);
    expect(llm.calls[0]!.system).toBe("Sys <<EMAIL_ADDRESS_1>>");
    expect(llm.calls[0]!.messages[0]!.content).toBe("mail <<EMAIL_ADDRESS_1>>");
    expect(llm.calls[1]!.messages.at(-1)!.content).toBe('"mailed <<EMAIL_ADDRESS_1>>"');
    expect(governance).toEqual([
      `guardrail.detected(1) {"direction":"incoming","findings_count":2,"entities":["EMAIL_ADDRESS"]}`,
      `guardrail.redacted(1) {"direction":"incoming","entities":["EMAIL_ADDRESS"]}`,
      `guardrail.detected(2) {"direction":"incoming","findings_count":3,"entities":["EMAIL_ADDRESS"]}`,
      `guardrail.redacted(2) {"direction":"incoming","entities":["EMAIL_ADDRESS"]}`,
    ]);
    expect(await store.getPiiMapping(result.runId)).toEqual({ "<<EMAIL_ADDRESS_1>>": EMAIL });
    const stored = await everythingStored(result.runId);
    expect(stored).not.toContain(EMAIL);
    expect(stored).toContain("<<EMAIL_ADDRESS_1>>");
    expect((await store.getRun(result.runId))!.inputData).toEqual({ input: "mail <<EMAIL_ADDRESS_1>>" });
  });

  it("pauses with placeholders at rest and resumes in another agent instance with the same mapping", async () => {
    const sent: string[] = [];
    const a = agent([{ toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }], { tools: [mailer(sent)], requireApproval: ["mail"] });
    const paused = await a.run(`write to ${EMAIL}`);
    expect(paused.status).toBe("waiting_approval");
    expect(paused.pendingToolCalls![0]!.params).toEqual({ to: EMAIL });
    const atPause = await everythingStored(paused.runId);
    expect(atPause).not.toContain(EMAIL);
    expect(atPause).toContain("pause_data");
    expect(atPause).toContain("write to <<EMAIL_ADDRESS_1>>");
    const b = agent(["sent <<EMAIL_ADDRESS_1>>"], { tools: [mailer(sent)], requireApproval: ["mail"] });
    const done = await b.submitApproval(paused.runId, { approved: true });
    expect(sent).toEqual([EMAIL]);
    expect(done.answer).toBe(`sent ${EMAIL}`);
    expect(await everythingStored(paused.runId)).not.toContain(EMAIL);
  });

  it("an incoming block ends the run as error before any LLM call", async () => {
    const llm = new MockLLM(["never"]);
    const a = agent([], { provider: llm, guardrails: [new PII(), new SecretDetection()] });
    const result = await a.run(`me ${EMAIL} key AKIAIOSFODNN7EXAMPLE`);
    expect(result).toMatchObject({ status: "error", error: "Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY at characters 27-47", iterationCount: 1 });
    expect(llm.callsMade).toBe(0);
    expect((await store.getEvents(result.runId)).map((e) => e.eventType)).toEqual(["run.started", "guardrail.blocked", "run.completed"]);
    expect((await store.getRun(result.runId))!.error).toBeNull();
    expect(await store.getPiiMapping(result.runId)).toEqual({ "<<EMAIL_ADDRESS_1>>": EMAIL });
  });

  it("an outgoing block records a scrubbed response and no assistant trace", async () => {
    const a = agent(["here: AKIAIOSFODNN7EXAMPLE"], { guardrails: [new SecretDetection()], prompt: "p" });
    const result = await a.run("give me a key");
    expect(result).toMatchObject({ status: "error", error: "Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY at characters 6-26 in LLM output" });
    // The secret the guardrail blocked is stored nowhere.
    expect(await everythingStored(result.runId)).not.toContain("AKIAIOSFODNN7EXAMPLE");
    const events = await store.getEvents(result.runId);
    expect(events.map((e) => e.eventType)).toEqual(["run.started", "guardrail.detected", "llm.completed", "guardrail.blocked", "run.completed"]);
    expect((await store.getTraces(result.runId)).map((t) => t.role)).toEqual(["user"]);
    const [call] = await store.getLlmCalls(result.runId);
    expect(call!.providerResponse).toBeNull();
  });

  it("the mapping stays on the row when a run is cancelled, paused or mid-run", async () => {
    const paused = await agent([{ toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }], { tools: [mailer([])], requireApproval: ["mail"] }).run(`to ${EMAIL}`);
    const canceller = agent([]);
    expect((await canceller.cancelRun(paused.runId)).status).toBe("cancelled");
    expect(await store.getPiiMapping(paused.runId)).toEqual({ "<<EMAIL_ADDRESS_1>>": EMAIL });

    // Another process cancels while a tool runs; the run stops at the top of the next iteration.
    const cancelling = tool({
      name: "mail",
      description: "",
      parameters: z.object({ to: z.string() }),
      execute: async (_args, ctx) => (await canceller.cancelRun(ctx.runId), "sent"),
    });
    const running = await agent([{ toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }, "never"], { tools: [cancelling] }).run(`to ${EMAIL}`);
    expect(running.status).toBe("cancelled");
    expect(await store.getPiiMapping(running.runId)).toEqual({ "<<EMAIL_ADDRESS_1>>": EMAIL });
    expect(await everythingStored(running.runId)).not.toContain(EMAIL);
  });

  it("a submission is stored redacted at the claim, and the mapping grows with it", async () => {
    const OTHER = "bob@corp.example";
    const readRange = tool({ name: "read_range", description: "", parameters: z.object({ sheet: z.string() }), target: "client" });
    const paused = await agent([{ toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }], { tools: [readRange] }).run(`sheet for ${EMAIL}`);
    let atRest: { pauseData: string; mapping: Record<string, string> } | undefined;
    const resumer = agent(
      [
        async (request) => {
          // while the resumed run is live, pause_data still holds the submission
          const row = await withDatabase(database.url, async (db) => (await sql<{ pause_data: unknown }>`SELECT pause_data FROM agent_runs WHERE id = ${request.runId}`.execute(db)).rows[0]!);
          atRest = { pauseData: JSON.stringify(row.pause_data), mapping: await store.getPiiMapping(request.runId!) };
          return "owner is <<EMAIL_ADDRESS_2>>";
        },
      ],
      { tools: [readRange] },
    );
    const done = await resumer.submitToolResults(paused.runId, [{ name: "read_range", callId: paused.pendingToolCalls![0]!.id, payload: `owner ${OTHER}` }]);
    expect(done.answer).toBe(`owner is ${OTHER}`);
    expect(atRest!.pauseData).toContain("owner <<EMAIL_ADDRESS_2>>");
    expect(atRest!.pauseData).not.toContain(OTHER);
    expect(atRest!.mapping).toEqual({ "<<EMAIL_ADDRESS_1>>": EMAIL, "<<EMAIL_ADDRESS_2>>": OTHER });
    const stored = (await everythingStored(paused.runId)).replaceAll(`"<<EMAIL_ADDRESS_2>>":"${OTHER}"`, "").replaceAll(`"<<EMAIL_ADDRESS_2>>": "${OTHER}"`, "").replaceAll(`\\"<<EMAIL_ADDRESS_2>>\\": \\"${OTHER}\\"`, "");
    expect(stored).not.toContain(OTHER);
  });

  it("a retry continues the source run's mapping, so tools still get real values", async () => {
    const sent: string[] = [];
    const first = agent([{ toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }, new Error("provider down")], { tools: [mailer(sent)] });
    await expect(first.run(`mail ${EMAIL}`)).rejects.toThrow("provider down");
    const [failed] = await store.listRuns({ status: "error", agentName: "Guarded" });
    const retrier = agent([{ toolCalls: [{ name: "mail", params: { to: "<<EMAIL_ADDRESS_1>>" } }] }, "sent again"], { tools: [mailer(sent)] });
    const retried = await retrier.retry(failed!.runId);
    expect(retried.status).toBe("success");
    expect(sent).toEqual([EMAIL, EMAIL]);
    // What the model is sent on a retry: the recorded (redacted) conversation, placeholders numbered as before.
    const seen = (retrier.provider as MockLLM).calls[0]!;
    expect(seen.system).toBe("Sys <<EMAIL_ADDRESS_1>>");
    expect(seen.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "mail <<EMAIL_ADDRESS_1>>"],
      ["assistant", ""],
      ["tool", '"mailed <<EMAIL_ADDRESS_1>>"'],
    ]);
    expect(JSON.stringify(seen.messages)).not.toContain(EMAIL);
  });

  it("records placeholders the model invented", async () => {
    const a = agent(["hello <<EMAIL_ADDRESS_9>>"]);
    const result = await a.run(`hi from ${EMAIL}`);
    expect(result.answer).toBe("hello <<EMAIL_ADDRESS_9>>");
    const events = await store.getEvents(result.runId);
    expect(events.at(-2)).toMatchObject({ eventType: "guardrail.unmapped_placeholder", data: { placeholders: ["<<EMAIL_ADDRESS_9>>"] } });
  });
});
