/**
 * The web examples (03, 09, 17) as a user meets them: each server started as
 * a child process, offline, and driven in real Chromium.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { chromiumMissing, launchChromium } from "../support/browser.js";
import { offlineEnv, startExampleServer } from "../support/examples.js";
import { describeRequiring } from "../support/requirements.js";

const missing = chromiumMissing("the web examples");

/** 03 and 09: ask for a price and a cell, answer the client tool's form, wait for the answer. */
async function answerSpreadsheetTool(page: Page): Promise<void> {
  await page.getByTestId("input").fill("Look up the AAPL price, then read cell A1 from my spreadsheet.");
  await page.getByTestId("start").click();
  await page.getByTestId("tool-form").waitFor();
  expect(await page.getByTestId("tool-name").textContent()).toBe("read_excel_range");
  expect(JSON.parse((await page.getByTestId("tool-params").textContent())!)).toEqual({ sheet: "Sheet1", range: "A1" });
  await page.getByTestId("tool-result").fill("Revenue: $394B");
  await page.getByTestId("submit").click();
  await page.getByTestId("event").filter({ hasText: "Answer: The price is AAPL: $227.50. Your spreadsheet says: Revenue: $394B." }).waitFor();
}

describeEachBackend("the web examples in a real browser", (backend) =>
  describeRequiring(missing, "with chromium", () => {
    let browser: Browser;
    let database: TestDatabase | null = null;
    const scratch = mkdtempSync(join(tmpdir(), "dendrux-web-examples-"));
    const urlFor = (name: string) => database?.url ?? `sqlite:///${join(scratch, `${name}.db`)}`;

    beforeAll(async () => {
      if (backend.name === "postgres") database = await backend.create();
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await database?.cleanup();
      rmSync(scratch, { recursive: true, force: true });
    });

    async function withServer(file: string, name: string, drive: (page: Page, url: string) => Promise<void>): Promise<void> {
      const server = await startExampleServer(file, offlineEnv(urlFor(name)));
      const page = await browser.newPage();
      try {
        await drive(page, server.url);
      } finally {
        await page.close();
        await server.stop();
      }
    }

    it("03: the run pauses for the spreadsheet tool, the page answers it, the run finishes (SSE)", async () => {
      await withServer("examples/03_client_tools/server.ts", "ex03", async (page, url) => {
        await page.goto(url);
        await answerSpreadsheetTool(page);
        const events = await page.getByTestId("event").allTextContents();
        expect(events).toEqual(expect.arrayContaining(["run started", "tool done: lookup_price", "paused: the agent needs read_excel_range", "tool done: read_excel_range"]));
      });
    }, 90_000);

    it("09: the same flow over two streamed NDJSON requests, the text streamed into the page", async () => {
      await withServer("examples/09_client_tools_streaming/server.ts", "ex09", async (page, url) => {
        await page.goto(url);
        await answerSpreadsheetTool(page);
        expect(await page.getByTestId("output").textContent()).toBe("Let me get that.\nThe price is AAPL: $227.50. Your spreadsheet says: Revenue: $394B.");
        expect(await page.getByTestId("event").allTextContents()).toEqual(expect.arrayContaining(["calling lookup_price", "tool done: lookup_price", "paused: the agent needs read_excel_range", "run resumed"]));
      });
    }, 90_000);

    it("17: approval, a client-side tool with redaction, a denied tool, a blocked secret and a cancel, with the safety panel live", async () => {
      await withServer("examples/17_full_stack_app/server.ts", "ex17", async (page, url) => {
        expect((await fetch(`${url}/providers`)).status).toBe(401);
        await page.goto(`${url}/#token=dev-secret-abc`);
        await page.locator("body[data-ready=true]").waitFor();
        const send = async (text: string) => {
          await page.getByTestId("message").fill(text);
          await page.getByTestId("send").click();
        };
        const agentSays = (text: string) => page.getByTestId("agent-message").filter({ hasText: text }).waitFor();
        const card = (kind: string, text: string) => page.locator(`[data-testid=card][data-kind=${kind}]`).filter({ hasText: text }).first().waitFor();

        // Approval: the refund waits for a person.
        await page.getByRole("button", { name: "refund (approval)" }).click();
        await page.getByTestId("send").click();
        await page.getByTestId("approval-form").waitFor();
        expect(await page.getByTestId("approval-tool").textContent()).toBe("issue_refund");
        expect(JSON.parse((await page.getByTestId("approval-args").textContent())!)).toEqual({ order_id: "4421", amount_usd: 50 });
        await page.getByTestId("approve").click();
        await agentSays("Done. Refunded order 4421 for $50.00.");

        // A client-side tool: the model saw a placeholder, the page gets the real address.
        await send("Please contact the customer at jane@acme.com about the delayed parcel.");
        await page.getByTestId("tool-form").waitFor();
        expect(JSON.parse((await page.getByTestId("tool-args").textContent())!)).toMatchObject({ email: "jane@acme.com" });
        await card("redact", "EMAIL_ADDRESS");
        await page.getByTestId("tool-result").fill("sent by email");
        await page.getByTestId("tool-submit").click();
        await agentSays("Message delivered to the customer (sent by email).");
        await card("redact", "The model saw placeholders");

        // Deny and block.
        await send("Delete account user-99 right now.");
        await agentSays("I am not allowed to delete accounts");
        await card("deny", "delete_account did not run");
        await send("My AWS key is AKIAIOSFODNN7EXAMPLE, keep it on file.");
        await agentSays("error: Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY");
        await card("block", "Guardrail blocked the run");

        // Cancel a paused run.
        await send("Refund order 5102 for $10.");
        await page.getByTestId("approval-form").waitFor();
        await page.getByTestId("cancel").click();
        await agentSays("cancelled");
        expect(await page.getByTestId("user-message").count()).toBe(5);
      });
    }, 120_000);
  }),
);
