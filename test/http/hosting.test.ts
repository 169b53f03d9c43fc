import { getRequestListener } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeReadRouter } from "../../src/http/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { buildApp } from "../../examples/server/server.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { listen, readSse } from "../support/http.js";


describeEachBackend("mounting the read router", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let runId: string;
  const router = () => makeReadRouter({ store, authorize: () => undefined });

  beforeAll(async () => {
    database = await backend.create();
    store = RunStore.fromDatabaseUrl(database.url);
    const agent = new Agent({ provider: new MockLLM(["hi"]), prompt: "p", databaseUrl: database.url });
    runId = (await agent.run("hello")).runId;
    await agent.close();
  });
  afterAll(async () => {
    await store.close();
    await database.cleanup();
  });

  async function check(base: string) {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
    const runs = (await (await fetch(`${base}/runs`)).json()) as { items: { run_id: string }[] };
    expect(runs.items.map((r) => r.run_id)).toEqual([runId]);
    const frames = await readSse(await fetch(`${base}/runs/${runId}/events/stream`), (f) => f.length >= 1);
    expect(frames[0]!.id).toBe("0");
  }

  it("as a plain fetch handler (@hono/node-server)", async () => {
    const server = await listen(router().fetch);
    await check(server.url);
    await server.close();
  });

  it("under a prefix in a Hono app", async () => {
    const app = new Hono();
    app.route("/api", router());
    const server = await listen(app.fetch);
    await check(`${server.url}/api`);
    expect((await fetch(`${server.url}/api/runs/nope`)).status).toBe(404);
    await server.close();
  });

  it("in Express", async () => {
    const app = express();
    app.use("/api", getRequestListener(router().fetch));
    const server = createServer(app).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    await check(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api`);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("in Fastify", async () => {
    const app = Fastify();
    const listener = getRequestListener(router().fetch);
    app.all("/api/*", (request, reply) => {
      reply.hijack();
      request.raw.url = request.raw.url!.slice("/api".length);
      void listener(request.raw, reply.raw);
    });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    await check(`${address}/api`);
    await app.close();
  });
});

describeEachBackend("example server: write routes map errors to statuses", (backend) => {
  it("starts a run over HTTP, approves it, and answers 400/404/409 for bad requests", async () => {
    const database = await backend.create();
    const { app, close } = buildApp(database.url, "secret");
    const server = await listen(app.fetch);
    const auth = { authorization: "Bearer secret", "content-type": "application/json" };
    try {
      const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
        fetch(`${server.url}/api${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      expect((await post("/runs", { input: "Please refund order 1042." }, { "content-type": "application/json" })).status).toBe(401);
      expect(await (await post("/runs", { input: "" })).json()).toMatchObject({ error: "ValidationError", detail: "input must be a non-empty string" });
      const started = await post("/runs", { input: "Please refund order 1042.", metadata: { thread_id: "t_http" } });
      expect(started.status).toBe(200);
      const paused = (await started.json()) as { run_id: string; status: string; pending_tool_calls: { name: string }[] };
      expect(paused).toMatchObject({ status: "waiting_approval", pending_tool_calls: [{ name: "refund_order" }] });
      const runId = paused.run_id;
      expect((await post(`/runs/${runId}/approval`, { approved: true }, { "content-type": "application/json" })).status).toBe(401);
      expect((await post(`/runs/${runId}/approval`, { approved: "yes" })).status).toBe(400);
      expect((await post(`/runs/nope/approval`, { approved: true })).status).toBe(404);
      // Not JSON, no body, a JSON null or a null result: a clear 400 (415 for other media types), never a 500.
      const raw = (path: string, body: string, headers: Record<string, string> = auth) => fetch(`${server.url}/api${path}`, { method: "POST", headers, body });
      for (const [body, detail] of [
        ["{not json", "The request body is not valid JSON."],
        ["", "The request body is empty; send a JSON object."],
        ["null", "The request body must be a JSON object."],
      ] as const) {
        const answer = await raw(`/runs/${runId}/approval`, body);
        expect(answer.status).toBe(400);
        expect(await answer.json()).toEqual({ detail, error: "ValidationError" });
      }
      const nullResult = await post(`/runs/${runId}/tool-results`, { results: [null] });
      expect(nullResult.status).toBe(400);
      expect(await nullResult.json()).toMatchObject({ detail: expect.stringContaining("results[0] must be an object") });
      const plain = await raw(`/runs/${runId}/approval`, '{"approved": true}', { authorization: "Bearer secret", "content-type": "text/plain" });
      expect(plain.status).toBe(415);
      expect(((await (await fetch(`${server.url}/api/runs/${runId}`, { headers: auth })).json()) as { status: string }).status).toBe("waiting_approval");
      const mismatch = await post(`/runs/${runId}/input`, { text: "hi" });
      expect(mismatch.status).toBe(409);
      expect(await mismatch.json()).toMatchObject({ error: "PauseStatusMismatchError" });
      const ok = await post(`/runs/${runId}/approval`, { approved: true });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ run_id: runId, status: "success" });
      expect((await post(`/runs/${runId}/approval`, { approved: true })).status).toBe(409);
      const run = (await (await fetch(`${server.url}/api/runs/${runId}`, { headers: auth })).json()) as { status: string };
      expect(run.status).toBe("success");
    } finally {
      await server.close();
      await close();
      await database.cleanup();
    }
  });
});
