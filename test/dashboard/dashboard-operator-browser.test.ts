import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { chromiumMissing, launchChromium } from "../support/browser.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { Agent } from "../../src/index.js";
import { openDashboard, type Dashboard } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, withDatabase, type TestDatabase } from "../support/backends.js";
import { describeRequiring } from "../support/requirements.js";
import { listen } from "../support/http.js";
import { lookup, readRange, refund } from "../support/tools.js";
import { z } from "zod";
import { tool } from "../../src/index.js";
import { SecretDetection } from "../../src/guardrails/index.js";

const missing = chromiumMissing("the dashboard test");
// DENDRUX_SCREENSHOTS=docs/images refreshes the pictures in docs/dashboard.md (SQLite run only).
const SHOTS = process.env.DENDRUX_SCREENSHOTS ?? null;
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

vi.setConfig({ testTimeout: 60_000 });

describeEachBackend("dashboard operator flows in a real browser", (backend) =>
  describeRequiring(missing, "with chromium", () => {
    let database: TestDatabase;
    let agent: Agent;
    let dashboard: Dashboard;
    let server: { url: string; close: () => Promise<void> };
    let browser: Browser;
    let hello: string;
    let approval: string;
    let client: string;
    let doomed: string;
    let planted: string;
    let blocked: string;
    let root: string;
    let child = "";

    const shot = async (page: Page, name: string) => {
      if (!SHOTS || backend.name !== "sqlite") return;
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `dashboard-${name}.png`), fullPage: true });
    };

    beforeAll(async () => {
      database = await backend.create();
      agent = new Agent({
        name: "Support",
        provider: new MockLLM([
          { text: "Hi! How can I help?", usage: { costUsd: 0.0012 } },
          { text: "Let me do both.", toolCalls: [{ name: "refund", params: { id: "1" } }, { name: "lookup", params: { id: "2" } }], usage: { inputTokens: 900, outputTokens: 60, costUsd: 0.0031 } },
          { toolCalls: [{ name: "read_range", params: { sheet: "Q3" } }] },
          { toolCalls: [{ name: "read_range", params: { sheet: "old" } }] },
          { text: "Refunded order 1; order 2 has shipped.", usage: { inputTokens: 1000, outputTokens: 70, costUsd: 0.0039 } },
          "Q3 total is 42.",
          "A fresh run.",
        ]),
        prompt: "You are a support agent.",
        tools: [refund, lookup, readRange],
        requireApproval: ["refund", "lookup"],
        databaseUrl: database.url,
      });
      hello = (await agent.run("Hello!", { metadata: { thread_id: "t-1", user_id: "u-7" } })).runId;
      approval = (await agent.run("Refund order 1 and tell me where order 2 is.", { metadata: { thread_id: "t-1", user_id: "u-7" } })).runId;
      client = (await agent.run("What is the Q3 total?", { metadata: { thread_id: "t-2", user_id: "u-8" } })).runId;
      doomed = (await agent.run("Read the old sheet.", { metadata: { thread_id: "t-3" } })).runId;

      // A run whose every stored field carries markup, numbers included where the column allows it.
      const other = new Agent({ name: "Planted", provider: new MockLLM([{ text: "x", toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]), prompt: "p", tools: [readRange], databaseUrl: database.url });
      planted = (await other.run("x")).runId;
      await other.close();
      await withDatabase(database.url, async (db, a) => {
        await db
          .updateTable("agent_runs")
          .set({
            agent_name: XSS,
            model: XSS,
            error: XSS,
            input_data: a.json({ input: XSS }),
            meta: a.json({ thread_id: XSS, note: XSS }),
            ...(backend.name === "sqlite" ? { total_input_tokens: XSS as never, iteration_count: XSS as never } : {}),
          })
          .where("id", "=", planted)
          .execute();
        await db.updateTable("react_traces").set({ content: XSS }).where("agent_run_id", "=", planted).execute();
        await db.updateTable("tool_calls").set({ tool_name: XSS }).where("agent_run_id", "=", planted).execute();
        const events = await db.selectFrom("run_events").select(["id", "event_type"]).where("agent_run_id", "=", planted).execute();
        for (const e of events) {
          const data =
            e.event_type === "llm.completed"
              ? { input_tokens: XSS, output_tokens: XSS, cost_usd: XSS, model: XSS, cache_read_input_tokens: XSS }
              : e.event_type === "run.paused"
                ? { status: XSS, pending_tool_calls: [{ id: XSS, name: XSS, target: XSS, params: { sheet: XSS } }] }
                : { agent_name: XSS, tool_name: XSS };
          await db.updateTable("run_events").set({ data: a.json(data) }).where("id", "=", e.id).execute();
        }
        await sql`UPDATE run_events SET event_type = event_type WHERE agent_run_id = ${planted}`.execute(db);
      });

      const guarded = new Agent({ name: "Guarded", provider: new MockLLM(["never"]), prompt: "p", guardrails: [new SecretDetection()], databaseUrl: database.url });
      blocked = (await guarded.run("my key is AKIAIOSFODNN7EXAMPLE")).runId;
      await guarded.close();
      const delegate = tool({
        name: "delegate",
        description: "Ask the helper.",
        parameters: z.object({}),
        execute: async () => {
          const helper = new Agent({ name: "Helper", provider: new MockLLM(["helped"]), prompt: "h", databaseUrl: database.url });
          try {
            const result = await helper.run("help");
            child = result.runId;
            return result.answer;
          } finally {
            await helper.close();
          }
        },
      });
      const boss = new Agent({ name: "Boss", provider: new MockLLM([{ toolCalls: [{ name: "delegate" }] }, "done"]), prompt: "b", tools: [delegate], databaseUrl: database.url });
      root = (await boss.run("go")).runId;
      await boss.close();

      dashboard = await openDashboard({ databaseUrl: database.url, authToken: "s3cret", agents: [agent] });
      server = await listen(dashboard.app.fetch);
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await dashboard?.close();
      await agent?.close();
      await database?.cleanup();
    });

    /** A page already holding the token, that fails the test on any request off this server. */
    const open = async (hash = "#/") => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.addInitScript(() => sessionStorage.setItem("dendrux_auth_token", "s3cret"));
      const foreign: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) foreign.push(r.url());
      });
      page.on("dialog", (d) => void d.accept());
      await page.goto(`${server.url}/${hash}`);
      return Object.assign(page, { foreign });
    };
    const rows = (page: Page) => page.locator("[data-testid=runs] tbody tr[data-run]");
    const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run")));

    it("filters the list by thread, metadata, status and run id", async () => {
      const page = await open();
      await page.getByTestId("total").filter({ hasText: "8 runs" }).waitFor();
      await page.fill("#thread", "t-1");
      await page.press("#thread", "Enter");
      await expect.poll(() => rowIds(page)).toEqual([approval, hello]);
      await page.fill("#thread", "");
      await page.press("#thread", "Enter");
      await page.fill("#metadata", "user_id=u-8");
      await page.press("#metadata", "Enter");
      await expect.poll(() => rowIds(page)).toEqual([client]);
      await page.fill("#metadata", "");
      await page.press("#metadata", "Enter");
      await page.selectOption("#status", "waiting_approval");
      await expect.poll(() => rowIds(page)).toEqual([approval]);
      await page.selectOption("#status", "");
      await page.fill("#q", doomed.slice(0, 22).toLowerCase());
      await page.press("#q", "Enter");
      await expect.poll(() => rowIds(page)).toEqual([doomed]);
      expect(page.foreign).toEqual([]);
      await page.close();
    });

    it("shows a thread turn by turn with its cost rollup, and links to the paused turn", async () => {
      const page = await open(`#/threads/t-1`);
      await page.getByTestId("turn").nth(1).waitFor();
      const turns = await page.getByTestId("turn").evaluateAll((els) => els.map((el) => el.getAttribute("data-run")));
      expect(turns).toEqual([hello, approval]);
      expect(await page.getByTestId("turn").nth(0).locator(".bubble").allTextContents()).toEqual([" Hello!", "Hi! How can I help?"]);
      expect(await page.getByTestId("turn").nth(1).locator(".bubble.pause").textContent()).toBe(" Waiting for approval — act on it");
      expect(await page.getByTestId("thread-tokens").textContent()).toBe("975");
      expect(await page.getByTestId("thread-cost").textContent()).toBe("$0.0043");
      await shot(page, "thread");
      await page.getByTestId("turn").nth(1).getByText("act on it").click();
      await page.getByTestId("approval").waitFor();
      await page.close();
    });

    it("approval: one call approved and one rejected in one batch; the approved tool runs and the run finishes live", async () => {
      const page = await open(`#/runs/${approval}`);
      await page.getByTestId("approval").waitFor();
      expect(await page.getByTestId("tokens").textContent()).toBe("960");
      expect(await page.getByTestId("cost").textContent()).toBe("$0.0031");
      const calls = page.locator("[data-testid=approval] .call");
      expect(await calls.locator("strong").allTextContents()).toEqual(["refund", "lookup"]);
      await calls.nth(0).getByLabel("Approve").check();
      await calls.nth(1).getByLabel("Reject").check();
      await calls.nth(1).getByLabel("Reason").fill("Not needed.");
      await shot(page, "approval");
      await page.getByTestId("submit-decisions").click();
      await page.locator("[data-testid=node][data-type=finish]").waitFor();
      expect(await page.locator("[data-testid=status]").first().textContent()).toBe("Success");
      expect(await page.getByTestId("answer").textContent()).toBe("Refunded order 1; order 2 has shipped.");
      const titles = await page.locator("[data-testid=node] .label").allTextContents();
      expect(titles).toEqual([
        "Run Started", "LLM Call: mock", "Approval requested", "Approval requested", "Awaiting Approval",
        // The rejected call's result is recorded first, then the approved call runs; one decision per call.
        "Server Tool: lookup", "Server Tool: refund", "Approval decided", "Approval decided", "LLM Call: mock", "Finish: Success",
      ]);
      expect(await page.getByTestId("bar").count()).toBe(2);
      await shot(page, "run");
      await page.close();
    });

    it("submits a client tool's result", async () => {
      const page = await open(`#/runs/${client}`);
      await page.getByTestId("client-results").waitFor();
      await page.getByLabel("Result for read_range").fill('{"total": 42}');
      await page.getByTestId("submit-results").click();
      await page.locator("[data-testid=node][data-type=finish]").waitFor();
      expect(await page.getByTestId("answer").textContent()).toBe("Q3 total is 42.");
      await page.close();
    });

    it("cancels a run; its pause then says how it ended", async () => {
      const page = await open(`#/runs/${doomed}`);
      await page.getByTestId("cancel").click();
      await page.locator("[data-testid=node][data-type=cancelled]").waitFor();
      expect(await page.locator("[data-testid=status]").first().textContent()).toBe("Cancelled");
      const pause = page.locator("[data-testid=node][data-type=pause_segment]");
      expect(await pause.locator(".label").textContent()).toBe("Awaiting Client Tool");
      expect(await pause.locator(".meta").textContent()).toBe("Awaiting read_range (client) · Ended without a resume (Cancelled)");
      expect(await page.getByTestId("actions").count()).toBe(0);
      await page.close();
    });

    it("a new run arrives in the list without a reload", async () => {
      const page = await open();
      await page.getByTestId("total").filter({ hasText: "8 runs" }).waitFor();
      const fresh = (await agent.run("Anything new?")).runId;
      await page.locator(`tr[data-run="${fresh}"]`).waitFor();
      expect(await page.getByTestId("total").textContent()).toBe("9 runs");
      await shot(page, "list");
      await page.close();
    });

    it("markup planted in every field, numbers included, is shown as text and never runs", async () => {
      for (const hash of ["#/", `#/runs/${planted}`, `#/threads/${encodeURIComponent(XSS)}`]) {
        const page = await open(hash);
        await page.getByText(XSS).first().waitFor();
        if (hash !== "#/") await page.locator("[data-testid=node], [data-testid=turn]").first().waitFor();
        expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
        expect(await page.locator("#app img, #app script").count()).toBe(0);
        expect(page.foreign).toEqual([]);
        await page.close();
      }
    });

    it("a guardrail-blocked run ends in a red Finish: Error; every node has an SVG icon", async () => {
      const page = await open(`#/runs/${blocked}`);
      const finish = page.locator("[data-testid=node][data-type=finish]");
      await finish.waitFor();
      expect(await finish.locator(".label").textContent()).toBe("Finish: Error");
      expect(await finish.getAttribute("class")).toContain("tone-err");
      expect(await finish.locator(".meta").textContent()).toBe("The run ended error.");
      const nodes = await page.getByTestId("node").count();
      expect(await page.locator("[data-testid=node] .title svg path").count()).toBe(nodes);
      expect(await page.locator("[data-testid=node][data-type=governance_event] .label").textContent()).toBe("Guardrail blocked");
      await page.close();
    });

    it("a root run lists its children without a breadcrumb; the child shows the path to it", async () => {
      const page = await open(`#/runs/${root}`);
      await page.getByTestId("delegation").waitFor();
      expect(await page.getByTestId("breadcrumb").count()).toBe(0);
      expect(await page.getByTestId("delegation").textContent()).toBe("Children (1): Helper Success ");
      await page.getByTestId("delegation").getByText("Helper").click();
      await page.getByTestId("breadcrumb").waitFor();
      expect(await page.getByTestId("breadcrumb").textContent()).toBe("Boss / Helper");
      expect(page.url()).toContain(encodeURIComponent(child));
      await page.close();
    });

    it("a malformed address shows a message, not a blank page", async () => {
      const page = await open("#/runs/%E0%A4%A");
      expect(await page.getByTestId("error").textContent()).toBe("No page at this address.");
      await page.close();
    });
  }),
);
