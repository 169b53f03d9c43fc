import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { openDashboard, type Dashboard } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { describeRequiring, requirement } from "../support/requirements.js";
import { listen } from "../support/http.js";
import { insertRuns } from "../support/many-runs.js";
import { add, readRange } from "../support/tools.js";

const CHROMIUM = process.env.DENDRUX_CHROMIUM ?? "/usr/bin/chromium";
const missing = requirement(existsSync(CHROMIUM) ? null : `no browser at ${CHROMIUM} for the dashboard test (.ci/run installs Debian's chromium)`);

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
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
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
