import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { ValidationError } from "../../src/errors/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen } from "../support/http.js";

describeEachBackend("read router hard edges", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let runId: string;
  const reported: unknown[] = [];

  beforeAll(async () => {
    database = await backend.create();
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    runId = (await agent.run("hello", { metadata: { thread_id: "t" } })).runId;
    await agent.close();
    store = RunStore.fromDatabaseUrl(database.url);
    server = await listen(makeReadRouter({ store, authorize: () => undefined, metadataFilter: true, onError: (e) => reported.push(e) }).fetch);
  });

  afterAll(async () => {
    await server.close();
    await store.close();
    await database.cleanup();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: (await res.json()) as { detail: Record<string, unknown>[] } };
  };

  it("integers beyond 32 bits answer 422 on every route, the SSE route included", async () => {
    for (const path of [
      "/runs?offset=2147483648",
      `/runs/${runId}/events?after=99999999999`,
      `/runs/${runId}/events/stream?after=2147483648`,
      `/runs/${runId}/llm-calls?iteration=2147483648`,
      `/runs/${runId}/tool-calls?offset=9007199254740991`,
      `/runs/${runId}/traces?offset=2147483648`,
      `/runs/${runId}/events?after=-2147483649`,
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(422);
      expect(body.detail[0]!.type).toMatch(/^(less|greater)_than_equal$/);
    }
    const { body } = await get("/runs?offset=2147483648");
    expect(body.detail).toEqual([{ type: "less_than_equal", loc: ["query", "offset"], msg: "Input should be less than or equal to 2147483647", input: "2147483648", ctx: { le: 2147483647 } }]);
    expect((await get("/runs?offset=2147483647")).status).toBe(200);
  });

  it("NUL bytes answer 422 in query strings and paths, the SSE route included", async () => {
    for (const path of ["/runs?agent_name=a%00b", "/runs?status=success%00", "/runs?tenant_id=%00", "/runs?metadata.thread_id=t%00", "/runs/a%00b", "/runs/a%00b/events", "/runs/a%00b/events/stream", "/threads/t%00/runs", "/threads/t/runs?before=%00"]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(422);
      expect(body.detail[0]!.msg).toMatch(/NUL/);
    }
    const { body } = await get("/runs/a%00b");
    expect(body.detail[0]).toMatchObject({ type: "value_error", loc: ["path", "run_id"], input: "a\u0000b" });
  });

  it("reserved metadata keys answer 422 instead of being ignored", async () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const { status, body } = await get(`/runs?metadata.${key}=x`);
      expect(status, key).toBe(422);
      expect(body.detail[0]).toMatchObject({ type: "value_error", loc: ["query", `metadata.${key}`], input: "x" });
    }
    const direct = store.listRuns({ metadataFilter: JSON.parse('{"__proto__": "x"}') });
    await expect(direct).rejects.toBeInstanceOf(ValidationError);
    await expect(direct).rejects.toMatchObject({ field: "metadataFilter.__proto__", message: 'metadataFilter key "__proto__" is reserved.' });
  });

  it("a malformed Last-Event-ID beyond 32 bits falls back to ?after", async () => {
    const res = await fetch(`${server.url}/runs/${runId}/events/stream?after=1`, { headers: { "last-event-id": "99999999999" } });
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    expect(new TextDecoder().decode(value)).toMatch(/^id: 2\n/);
  });

  it("a 500 is reported to onError", async () => {
    const closed = RunStore.fromDatabaseUrl(database.url);
    await closed.close();
    const errors: unknown[] = [];
    const local = await listen(makeReadRouter({ store: closed, authorize: () => undefined, onError: (e) => errors.push(e) }).fetch);
    const res = await fetch(`${local.url}/runs`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error");
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("RunStore is closed.");
    await local.close();
    expect(reported).toEqual([]);
  });
});
