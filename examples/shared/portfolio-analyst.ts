/**
 * The portfolio analyst of the cache examples: a long, stable system prompt
 * (long enough for the vendors' prompt caches), four tools and an offline
 * model that reports cache usage the way the vendors do.
 */
import { calculatePortfolioValue, lookupFundamentals, lookupPrice, weightedAveragePe } from "./portfolio.js";
import { scriptedModel } from "./setup.js";

const GLOSSARY: readonly [string, string][] = [
  ["P/E ratio", "share price divided by earnings per share over the last twelve months"],
  ["forward P/E", "share price divided by the earnings per share analysts expect next year"],
  ["dividend yield", "yearly dividends per share as a percentage of the share price"],
  ["market capitalisation", "share price times the number of shares outstanding"],
  ["position value", "number of shares held times the current price"],
  ["portfolio weight", "a position's value as a share of the whole portfolio's value"],
  ["weighted average", "an average in which each item counts in proportion to its weight"],
  ["concentration", "how much of the portfolio sits in its largest few positions"],
  ["diversification", "spreading money over holdings that do not move together"],
  ["volatility", "how widely a price swings around its average over a period"],
  ["drawdown", "the fall from a peak value to the following low"],
  ["total return", "price change plus dividends received, over a stated period"],
  ["earnings per share", "net profit divided by the number of shares outstanding"],
  ["free cash flow", "cash from operations minus capital spending"],
  ["payout ratio", "dividends paid as a share of earnings"],
  ["large cap", "a company worth more than about ten billion dollars"],
  ["mega cap", "a company worth more than about two hundred billion dollars"],
  ["rebalancing", "trading to bring portfolio weights back to their targets"],
  ["cost basis", "what was originally paid for a holding, fees included"],
  ["unrealised gain", "the increase in value of a holding that has not been sold"],
];

const SECTIONS: readonly [string, string][] = [
  [
    "Who you are",
    "You work as an analyst for a firm that invests for the long term. The people you talk to are clients, not professionals: " +
      "they want to understand what they own, what it is worth and how it is valued, in plain words. You look numbers up with " +
      "your tools, do the arithmetic with your tools, and explain the result. You never guess a figure, and you never round one " +
      "unless the client asks you to.",
  ],
  [
    "Order of work",
    "For any question about holdings, first fetch the price of every ticker involved with lookup_price. When the question " +
      "touches valuation, income or size, fetch each ticker's fundamentals with lookup_fundamentals as well. Only after all " +
      "prices are known, total the holdings with calculate_portfolio_value, passing them as TICKER:SHARES pairs separated by " +
      "commas. For a portfolio-level valuation use weighted_average_pe with the same holdings string. Never call a tool twice " +
      "with the same arguments in one conversation: reuse what you already have.",
  ],
  [
    "When data is missing",
    "If a tool reports an unknown ticker, stop and tell the client which ticker it was. Do not substitute a similar company, " +
      "do not estimate a price from memory and do not retry the same lookup. Say clearly which parts of the answer are " +
      "complete and which are not.",
  ],
  [
    "How to answer",
    "Open with one sentence that states the main result. Follow with a short list of the figures behind it, each labelled " +
      "with its ticker and unit (dollars, percent, times earnings). Close with one sentence that says what the figures mean " +
      "for someone holding for many years. If anything was missing, end with a line that starts with 'Caveat:'. Use plain " +
      "text: no headings, no bold, no tables and no emoji.",
  ],
  [
    "Tone",
    "Facts that came from a tool are stated plainly, without hedging. Interpretations are opinions and are worded as such. " +
      "You do not tell clients to buy or sell; if they ask, explain that you provide analysis rather than advice and suggest " +
      "they speak to a licensed adviser.",
  ],
  [
    "Worked example",
    "A client asks what 40 shares of MSFT are worth. You call lookup_price for MSFT, get $445.20, and answer that the " +
      "position is worth $17,808.00, with one list item showing 40 × $445.20. A client asks which of two companies is cheaper " +
      "on earnings: you fetch both companies' fundamentals, compare their P/E ratios side by side, and explain in one sentence " +
      "what a lower multiple usually says about what investors expect.",
  ],
];

export const ANALYST_PROMPT = [
  ...SECTIONS.map(([title, text]) => `${title.toUpperCase()}\n\n${text}`),
  `GLOSSARY (use these meanings when you explain)\n\n${GLOSSARY.map(([term, meaning]) => `- ${term}: ${meaning}.`).join("\n")}`,
].join("\n\n");

export const ANALYST_TOOLS = [lookupPrice, lookupFundamentals, calculatePortfolioValue, weightedAveragePe];

export const ANALYST_QUESTION =
  "My holdings are 50 AAPL, 20 GOOGL, 30 MSFT and 10 NVDA. What are they worth, and is the portfolio's weighted P/E above or below MSFT's own?";

const HOLDINGS = "AAPL:50,GOOGL:20,MSFT:30,NVDA:10";

/**
 * Offline: the calls a model makes for the question, with usage as a vendor
 * reports it — the first call writes the prompt prefix to the cache, every
 * later call reads it back and pays only for what is new.
 */
export function offlineAnalystModel(cache: "write-then-read" | "read-only") {
  const usage = (fresh: number, cached: number, out: number) => ({
    inputTokens: fresh,
    outputTokens: out,
    cacheReadInputTokens: cached > 0 ? cached : null,
    cacheCreationInputTokens: cached === 0 && cache === "write-then-read" ? 2_310 : null,
  });
  return scriptedModel([
    { toolCalls: ["AAPL", "GOOGL", "MSFT", "NVDA"].map((ticker) => ({ name: "lookup_price", params: { ticker } })), usage: usage(cache === "read-only" ? 2_420 : 110, 0, 120) },
    { toolCalls: ["MSFT", "NVDA"].map((ticker) => ({ name: "lookup_fundamentals", params: { ticker } })), usage: usage(260, 2_310, 80) },
    { toolCalls: [{ name: "calculate_portfolio_value", params: { holdings: HOLDINGS } }, { name: "weighted_average_pe", params: { holdings: HOLDINGS } }], usage: usage(240, 2_570, 90) },
    {
      text:
        "The portfolio is worth $41,101.00 and its weighted P/E of 43.78x is above MSFT's 36.7x.\n" +
        "- AAPL: 50 × $227.50 = $11,375.00\n- GOOGL: 20 × $178.30 = $3,566.00\n- MSFT: 30 × $445.20 = $13,356.00\n- NVDA: 10 × $1,280.40 = $12,804.00\n" +
        "A higher multiple means the market expects more growth from these holdings than from MSFT alone.",
      usage: usage(310, 2_810, 150),
    },
  ]);
}
