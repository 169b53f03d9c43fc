/**
 * A complete HTTP service: the read router (runs, events, SSE…) and write
 * routes (start a run, submit results, input, approval, cancel) under /api.
 * Examples 03 and 17 put a browser page on the same pattern.
 *
 *   npx tsx examples/server/server.ts
 *   curl -X POST localhost:8787/api/runs -H 'content-type: application/json' -d '{"input": "Refund order 1042, it arrived broken."}'
 *   curl localhost:8787/api/runs
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { makeReadRouter } from "dendrux/http";
import { RunStore } from "dendrux/store";
import { createAgent } from "../quickstart/agent.js";
import { writeRoutes } from "./write-routes.js";

export function buildApp(databaseUrl: string, token: string | null) {
  const store = RunStore.fromDatabaseUrl(databaseUrl);
  const agent = createAgent(databaseUrl);
  const authorize = (c: { req: { header(name: string): string | undefined } }) => {
    if (token && c.req.header("authorization") !== `Bearer ${token}`) {
      throw new HTTPException(401, { res: new Response(null, { headers: { "WWW-Authenticate": "Bearer" } }) });
    }
  };
  const app = new Hono();
  app.route("/api", makeReadRouter({ store, authorize, metadataFilter: true }));
  app.use("/api/runs", async (c, next) => {
    if (c.req.method === "POST") authorize(c);
    await next();
  });
  app.use("/api/runs/:runId/*", async (c, next) => {
    if (c.req.method === "POST") authorize(c);
    await next();
  });
  app.route("/api", writeRoutes(agent));
  // Unknown paths (an empty run id, a typo) answer in the same JSON shape as every other error.
  app.notFound((c) => c.json({ detail: "Not Found", error: "NotFound" }, 404));
  return { app, agent, store, close: async () => Promise.all([agent.close(), store.close()]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DENDRUX_DATABASE_URL ?? "sqlite:///./quickstart.db";
  const port = Number(process.env.PORT ?? 8787);
  const { app } = buildApp(url, process.env.API_TOKEN ?? null);
  serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => console.log(`dendrux API on http://127.0.0.1:${port}/api (database ${url})`));
}
