import { chromiumMissing, launchChromium } from "../support/browser.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildChatServer } from "../../examples/chat-server/server.js";
import { MockLLM } from "../../src/llm/mock/index.js";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { describeRequiring } from "../support/requirements.js";
import { listen } from "../support/http.js";

const missing = chromiumMissing("the chat-server test");

describeEachBackend("examples/chat-server in a real browser", (backend) =>
  describeRequiring(missing, "with chromium", () => {
    let database: TestDatabase;
    let chat: Awaited<ReturnType<typeof buildChatServer>>;
    let server: { url: string; close: () => Promise<void> };
    let browser: Browser;
    let llm: MockLLM;

    beforeAll(async () => {
      database = await backend.create();
      llm = new MockLLM(["Hello! How can I help? (#1)", "Interesting — tell me more. (#2)"]);
      chat = await buildChatServer(database.url, llm);
      server = await listen(chat.app.fetch);
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await chat?.close();
      await database?.cleanup();
    });

    it("a turn appears live on every open page of the thread, and the history survives a reload", async () => {
      const writer = await browser.newPage();
      const watcher = await browser.newPage();
      await writer.goto(`${server.url}/?thread=trip`);
      await watcher.goto(`${server.url}/?thread=trip`);
      await writer.getByTestId("live").filter({ hasText: "live" }).waitFor();
      await watcher.getByTestId("live").filter({ hasText: "live" }).waitFor();

      await writer.getByTestId("input").fill("Hi there");
      await writer.getByTestId("input").press("Enter");
      await writer.getByTestId("answer").filter({ hasText: "Hello! How can I help? (#1)" }).waitFor();
      // The other page never posted: it saw the turn over the thread stream.
      await watcher.getByTestId("answer").filter({ hasText: "Hello! How can I help? (#1)" }).waitFor();

      await writer.getByTestId("input").fill("Plan a trip");
      await writer.getByTestId("input").press("Enter");
      await watcher.getByTestId("answer").filter({ hasText: "(#2)" }).waitFor();

      await writer.reload();
      await writer.getByTestId("turn").nth(1).waitFor();
      expect(await writer.getByTestId("turn").count()).toBe(2);
      expect(await writer.getByTestId("answer").allTextContents()).toEqual(["Hello! How can I help? (#1)", "Interesting — tell me more. (#2)"]);

      // Every turn is an agent run tagged with the thread, and the second one got the first as history.
      const turns = await chat.store.getThread("trip");
      expect(turns.map((t) => [t.input, t.metadata.thread_id])).toEqual([["Hi there", "trip"], ["Plan a trip", "trip"]]);
      const sent = llm.calls[1]!.messages.map((m) => [m.role, m.content]);
      expect(sent).toEqual(expect.arrayContaining([["user", "Hi there"], ["assistant", "Hello! How can I help? (#1)"], ["user", "Plan a trip"]]));
      await writer.close();
      await watcher.close();
    }, 60_000);
  }),
);
