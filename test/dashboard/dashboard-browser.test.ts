import { join } from "node:path";
import { chromiumMissing, launchChromium } from "../support/browser.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { openDashboard, type Dashboard } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { AnthropicProvider } from "../../src/llm/anthropic/index.js";
import { FakeVendor } from "../support/fake-vendor.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { describeRequiring } from "../support/requirements.js";
import { listen } from "../support/http.js";
import { insertRuns } from "../support/many-runs.js";
import { add, readRange } from "../support/tools.js";

const missing = chromiumMissing("the dashboard test");

describeEachBackend("dashboard in a real browser", (backend) =>
  describeRequiring(missing, "with chromium", () => {
    let database: TestDatabase;
    let dashboard: Dashboard;
    let server: { url: string; close: () => Promise<void> };
    let browser: Browser;
    let finished: string;

    beforeAll(async () => {
      database = await backend.create();
      const agent = new Agent({
        name: "Calc",
        provider: new MockLLM([{ text: "adding", toolCalls: [{ name: "add", params: { a: 1, b: 2 } }] }, "3", { toolCalls: [{ name: "read_range", params: { sheet: "S" } }] }]),
        prompt: "You add.",
        tools: [add, readRange],
        databaseUrl: database.url,
      });
      finished = (await agent.run("1+2?")).runId;
      await agent.run("read it");
      await agent.close();
      dashboard = await openDashboard({ databaseUrl: database.url, authToken: "s3cret" });
      server = await listen(dashboard.app.fetch);
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await dashboard?.close();
      await database?.cleanup();
    });

    it("lists runs, asks for the token once, opens a run and inspects a node", async () => {
      const page = await browser.newPage();
      let prompts = 0;
      page.on("dialog", (dialog) => {
        prompts += 1;
        void dialog.accept("s3cret");
      });
      await page.goto(`${server.url}/`);
      await page.getByTestId("total").filter({ hasText: "2 runs" }).waitFor();
      expect(prompts).toBe(1);
      expect(await page.getByTestId("banner").textContent()).toBe("1 run(s) waiting on client");
      const statuses = await page.locator("[data-testid=runs] tbody [data-testid=status]").allTextContents();
      expect(statuses).toEqual(["Waiting on client", "Success"]);

      await page.selectOption("#status", "success");
      await page.locator("[data-testid=runs] tbody tr").filter({ hasText: finished }).waitFor();
      // the filtered list replaces the old one asynchronously: wait for it, not for a row that was already there
      await expect.poll(() => page.locator("[data-testid=runs] tbody tr").count()).toBe(1);

      await page.locator(`tr[data-run="${finished}"]`).click();
      await page.getByTestId("timeline").waitFor();
      const titles = await page.locator("[data-testid=node] .title .label").allTextContents();
      expect(titles).toEqual(["Run Started", "LLM Call: mock", "Server Tool: add", "LLM Call: mock", "Finish: Success"]);
      await page.locator("[data-testid=node]").nth(2).click();
      await page.getByTestId("payload").waitFor();
      expect(JSON.parse((await page.getByTestId("payload").textContent())!)).toMatchObject({ type: "tool_call", tool_name: "add", params: { a: 1, b: 2 }, result: 3 });
      await page.screenshot({ path: join(process.env.DENDRUX_SCREENSHOTS ?? "/tmp", "dendrux-dashboard-run.png"), fullPage: true });
      await page.keyboard.press("Escape");
      expect(await page.locator("#inspector").isHidden()).toBe(true);
      await page.close();
    });

    it("shows an LLM call's vendor wire view: the request and response exactly as the provider exchanged them", async () => {
      const vendor = await new FakeVendor([
        {
          json: { id: "msg_wire", type: "message", role: "assistant", model: "claude-wire", content: [{ type: "text", text: "Wired." }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 12, output_tokens: 3 } },
        },
      ]).start();
      const wired = await backend.create();
      let wiredDashboard: Dashboard | null = null;
      let wiredServer: { url: string; close: () => Promise<void> } | null = null;
      try {
        const agent = new Agent({ name: "Wire", provider: new AnthropicProvider({ model: "claude-wire", apiKey: "sk-ant-test", baseURL: vendor.url, maxRetries: 0 }), prompt: "Be brief.", databaseUrl: wired.url });
        const wiredRun = (await agent.run("Say wired")).runId;
        const mockedAgent = new Agent({ name: "Mocked", provider: new MockLLM(["ok"]), prompt: "p", databaseUrl: wired.url });
        const mocked = (await mockedAgent.run("hi")).runId;
        await agent.close();
        await mockedAgent.close();
        wiredDashboard = await openDashboard({ databaseUrl: wired.url });
        wiredServer = await listen(wiredDashboard.app.fetch);
        const page = await browser.newPage();
        await page.goto(`${wiredServer.url}/`);

        await page.locator(`tr[data-run="${wiredRun}"]`).click();
        await page.getByTestId("timeline").waitFor();
        await page.locator("[data-testid=node]").filter({ hasText: "LLM Call" }).first().click();
        await page.getByTestId("semantic-request").waitFor();
        expect(await page.locator("#inspector .toggle span").textContent()).toBe("Dendrux semantics");
        await page.getByRole("tab", { name: "Provider" }).click();
        expect(await page.locator("#inspector .toggle span").textContent()).toBe("Vendor wire format");
        // What the SDK sent to the vendor, and what came back, as recorded in llm_interactions.
        const request = JSON.parse((await page.getByTestId("provider-request").textContent())!);
        expect(request).toMatchObject({ model: "claude-wire", messages: [{ role: "user", content: [{ type: "text", text: "Say wired" }] }] });
        expect(request).toEqual(vendor.requests[0]!.body);
        expect(JSON.parse((await page.getByTestId("provider-response").textContent())!)).toMatchObject({ id: "msg_wire", content: [{ type: "text", text: "Wired." }] });
        await page.screenshot({ path: join(process.env.DENDRUX_SCREENSHOTS ?? "/tmp", "dendrux-dashboard-wire.png"), fullPage: true });

        // A provider that records no payloads says so instead of showing an empty box.
        await page.goto(`${wiredServer.url}/`);
        await page.locator(`tr[data-run="${mocked}"]`).click();
        await page.getByTestId("timeline").waitFor();
        await page.locator("[data-testid=node]").filter({ hasText: "LLM Call" }).first().click();
        await page.getByTestId("semantic-request").waitFor();
        await page.getByRole("tab", { name: "Provider" }).click();
        expect(await page.getByTestId("no-payload").allTextContents()).toEqual([
          "Provider adapter does not emit request payloads.",
          "Provider adapter does not emit response payloads.",
        ]);
        await page.close();
      } finally {
        await wiredServer?.close();
        await wiredDashboard?.close();
        await vendor.stop();
        await wired.cleanup();
      }
    });

    it("pages the run list 50 at a time with Older / Newer", async () => {
      const base = Date.UTC(2025, 0, 1);
      await insertRuns(database.url, Array.from({ length: 60 }, (_, i) => ({ id: `01BULK${String(i).padStart(20, "0")}`, createdAt: new Date(base + i * 1000), agentName: "Bulk" })));
      const page = await browser.newPage();
      page.on("dialog", (dialog) => void dialog.accept("s3cret"));
      await page.goto(`${server.url}/`);
      await page.fill("#agent", "Bulk");
      await page.press("#agent", "Enter");
      await page.getByTestId("total").filter({ hasText: "60 runs" }).waitFor();
      const rows = page.locator("[data-testid=runs] tbody tr[data-run]");
      await expect.poll(() => rows.count()).toBe(50);
      expect(await rows.first().getAttribute("data-run")).toBe(`01BULK${String(59).padStart(20, "0")}`);
      await page.getByTestId("older").click();
      await expect.poll(() => rows.count()).toBe(10);
      expect(await rows.first().getAttribute("data-run")).toBe(`01BULK${String(9).padStart(20, "0")}`);
      expect(await page.getByTestId("older").count()).toBe(0);
      await page.getByTestId("newer").click();
      await expect.poll(() => rows.count()).toBe(50);
      expect(await page.getByTestId("newer").count()).toBe(0);
      await page.close();
    });
  }),
);
