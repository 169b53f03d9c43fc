/** Stock tools over a small fixed dataset, shared by the portfolio examples. */
import { z } from "zod";
import { tool } from "dendrux";

export const PRICES: Readonly<Record<string, number>> = { AAPL: 227.5, GOOGL: 178.3, MSFT: 445.2, TSLA: 312.8, NVDA: 1280.4 };

export const FUNDAMENTALS: Readonly<Record<string, { pe: number; dividendYield: number; marketCapB: number }>> = {
  AAPL: { pe: 33.4, dividendYield: 0.45, marketCapB: 3450 },
  GOOGL: { pe: 26.1, dividendYield: 0.0, marketCapB: 2210 },
  MSFT: { pe: 36.7, dividendYield: 0.71, marketCapB: 3310 },
  TSLA: { pe: 78.5, dividendYield: 0.0, marketCapB: 998 },
  NVDA: { pe: 65.3, dividendYield: 0.03, marketCapB: 3140 },
};

/** `1234.5` → `1,234.50` */
export const dollars = (value: number) => value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `"AAPL:10, MSFT:5"` → `[["AAPL", 10], ["MSFT", 5]]` */
function parseHoldings(holdings: string): [string, number][] {
  return holdings.split(",").map((item) => {
    const [ticker = "", shares = "0"] = item.trim().split(":");
    return [ticker.toUpperCase(), Number.parseInt(shares, 10)];
  });
}

export const lookupPrice = tool({
  name: "lookup_price",
  description: "Look up the current stock price for a ticker symbol.",
  parameters: z.object({ ticker: z.string() }),
  execute: ({ ticker }) => {
    const price = PRICES[ticker.toUpperCase()];
    return price === undefined ? `Unknown ticker: ${ticker}` : `${ticker.toUpperCase()}: $${dollars(price)}`;
  },
});

export const lookupFundamentals = tool({
  name: "lookup_fundamentals",
  description: "Look up P/E ratio, dividend yield, and market cap for a ticker.",
  parameters: z.object({ ticker: z.string() }),
  execute: ({ ticker }) => {
    const f = FUNDAMENTALS[ticker.toUpperCase()];
    if (!f) return `Unknown ticker: ${ticker}`;
    return `${ticker.toUpperCase()} — P/E ${f.pe.toFixed(1)}x, dividend yield ${f.dividendYield.toFixed(2)}%, market cap $${f.marketCapB}B`;
  },
});

export const calculatePortfolioValue = tool({
  name: "calculate_portfolio_value",
  description: "Total portfolio value from a comma-separated 'TICKER:SHARES' list.",
  parameters: z.object({ holdings: z.string() }),
  execute: ({ holdings }) => {
    let total = 0;
    const lines = parseHoldings(holdings).map(([ticker, shares]) => {
      const price = PRICES[ticker] ?? 0;
      total += price * shares;
      return `  ${ticker}: ${shares} × $${dollars(price)} = $${dollars(price * shares)}`;
    });
    return `Portfolio breakdown:\n${lines.join("\n")}\n  Total: $${dollars(total)}`;
  },
});

export const weightedAveragePe = tool({
  name: "weighted_average_pe",
  description: "Weighted average P/E across a portfolio (weighted by position value).",
  parameters: z.object({ holdings: z.string() }),
  execute: ({ holdings }) => {
    let totalValue = 0;
    let weighted = 0;
    for (const [ticker, shares] of parseHoldings(holdings)) {
      const price = PRICES[ticker];
      const f = FUNDAMENTALS[ticker];
      if (price === undefined || !f) return `Unknown ticker in holdings: ${ticker}`;
      totalValue += price * shares;
      weighted += f.pe * price * shares;
    }
    if (totalValue === 0) return "Cannot compute weighted P/E for an empty portfolio.";
    return `Weighted-average portfolio P/E: ${(weighted / totalValue).toFixed(2)}x (across $${dollars(totalValue)})`;
  },
});
