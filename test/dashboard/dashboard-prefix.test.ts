import { Hono } from "hono";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Agent } from "../../src/index.js";
import { makeDashboardApp } from "../../src/dashboard/index.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { RunStore } from "../../src/store/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { chromiumMissing, launchChromium } from "../support/browser.js";
import { listen } from "../support/http.js";
import { describeRequiring } from "../support/requirements.js";

const TOKEN = "pr3fix";
const missing = chromiumMissing("the dashboard-under-a-prefix test");

/** An application with its own routes and the dashboard mounted at two prefixes, with `route` and with `mount`. */
function hostApp(store: RunStore): Hono {
  const app = new Hono();
  app.get("/", (c) => c.text("the app's own home"));
  app.route("/ops/dashboard", makeDashboardApp({ store, authToken: TOKEN }));
  app.route("/t/:tenant/dashboard", makeDashboardApp({ store, authToken: TOKEN }));
  app.mount("/mounted", makeDashboardApp({ store, authToken: TOKEN }).fetch);
  app.notFound((c) => c.text("the app's own 404", 404));
  return app;
}

describeEachBackend("the dashboard under a prefix", (backend) => {
  let database: TestDatabase;
  let store: RunStore;
  let server: { url: string; close: () => Promise<void> };
  let runId: string;

  beforeAll(async () => {
    database = await backend.create();
    await using agent = new Agent({ name: "Prefixed", provider: new MockLLM(["hello"]), prompt: "p", databaseUrl: database.url });
    runId = (await agent.run("hi")).runId;
    store = RunStore.fromDatabaseUrl(database.url);
    server = await listen(hostApp(store).fetch);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await database?.cleanup();
  });

  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { redirect: "manual", ...init });
  const authorized = { headers: { authorization: `Bearer ${TOKEN}` } };

  it.each(["/ops/dashboard", "/t/acme/dashboard", "/mounted"])("serves the page, its files and its API under %s", async (prefix) => {
    const page = await get(`${prefix}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<script type="module" src="app.js"></script>');
    for (const [file, type] of [["app.js", "text/javascript"], ["app.css", "text/css"], ["vendor/preact.mjs", "text/javascript"]] as const) {
      const response = await get(`${prefix}/${file}`);
      expect({ file, status: response.status, type: response.headers.get("content-type") }).toEqual({ file, status: 200, type: `${type}; charset=utf-8` });
    }
    const runs = await get(`${prefix}/api/runs`, authorized);
    expect(runs.status).toBe(200);
    expect(((await runs.json()) as { runs: { run_id: string }[] }).runs.map((r) => r.run_id)).toEqual([runId]);
    expect((await get(`${prefix}/api/runs`)).status).toBe(401);
    expect(await (await get(`${prefix}/nope.js`)).json()).toEqual({ detail: "Not Found" });
  });

  it("sends the bare prefix to the folder URL the page's relative links need, keeping the query", async () => {
    const bare = await get("/ops/dashboard?x=1");
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/ops/dashboard/?x=1");
    expect((await get("/t/acme/dashboard")).headers.get("location")).toBe("/t/acme/dashboard/");
  });

  it("leaves the application's own routes alone", async () => {
    expect(await (await get("/")).text()).toBe("the app's own home");
    const other = await get("/app.js");
    expect({ status: other.status, body: await other.text() }).toEqual({ status: 404, body: "the app's own 404" });
  });

  describeRequiring(missing, "in chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => browser?.close());

    it("the page mounted with app.route lists and opens the run", async () => {
      const page = await browser.newPage();
      page.on("dialog", (dialog) => void dialog.accept(TOKEN));
      await page.goto(`${server.url}/ops/dashboard`);
      expect(new URL(page.url()).pathname).toBe("/ops/dashboard/");
      await page.getByTestId("total").filter({ hasText: "1 runs" }).waitFor();
      await page.locator(`tr[data-run="${runId}"]`).click();
      await page.getByTestId("timeline").waitFor();
      expect(await page.locator("[data-testid=node] .title .label").allTextContents()).toEqual(["Run Started", "LLM Call: mock", "Finish: Success"]);
      await page.close();
    });
  });
});
