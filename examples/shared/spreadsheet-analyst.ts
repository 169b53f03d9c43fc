/**
 * The spreadsheet analyst of the client-tool examples (03, 09): a server tool
 * that runs at once and a client tool the browser answers, so a run pauses
 * until the page sends the result.
 */
import { z } from "zod";
import { Agent, tool } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { lookupPrice } from "./portfolio.js";
import { lastUserText, online, scriptedModel, toolResults } from "./setup.js";

/** Runs in the user's browser: the run pauses `waiting_client_tool` until the page submits the cells. */
export const readExcelRange = tool({
  name: "read_excel_range",
  description: "Read a range of cells from the user's open spreadsheet. Runs in the user's browser; wait for its result.",
  parameters: z.object({ sheet: z.string(), range: z.string() }),
  target: "client",
  execute: () => "",
});

const PROMPT =
  "You analyse spreadsheets. lookup_price gives a stock price at once (it runs on the server); read_excel_range reads " +
  "cells from the user's spreadsheet (it runs in their browser, so its result comes later). Use the tools whenever the " +
  "user asks about prices or their spreadsheet.";

/** Offline: the tool calls a model makes for the request, then an answer built from their results. */
function offlineAnalyst() {
  return scriptedModel([
    (request) => {
      const text = lastUserText(request);
      const ticker = /\b(AAPL|GOOGL|MSFT|TSLA|NVDA)\b/i.exec(text)?.[1];
      const cell = /\bcell\s+([A-Z]+\d+)\b/i.exec(text)?.[1] ?? (/spreadsheet|sheet|excel/i.test(text) ? "A1" : undefined);
      const calls = [
        ...(ticker ? [{ name: "lookup_price", params: { ticker: ticker.toUpperCase() } }] : []),
        ...(cell ? [{ name: "read_excel_range", params: { sheet: "Sheet1", range: cell.toUpperCase() } }] : []),
      ];
      return calls.length > 0 ? { text: "Let me get that.", toolCalls: calls } : "Ask me about a stock price or a cell of your spreadsheet.";
    },
    (request) => {
      const { lookup_price: price, read_excel_range: cells } = toolResults(request);
      return [price && `The price is ${price}.`, cells && `Your spreadsheet says: ${cells}.`].filter(Boolean).join(" ");
    },
  ]);
}

export function createSpreadsheetAnalyst(databaseUrl: string): Agent {
  return new Agent({
    name: "SpreadsheetAnalyst",
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offlineAnalyst(),
    prompt: PROMPT,
    tools: [lookupPrice, readExcelRange],
    databaseUrl,
  });
}
