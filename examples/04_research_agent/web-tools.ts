/**
 * The sub-agents' web tools. With `FIRECRAWL_API_KEY` (and a real model) they
 * call Firecrawl's search and scrape endpoints; otherwise a small local web
 * stands in, with pages generated from the query, so the example runs offline.
 */
import { z } from "zod";
import { tool } from "dendrux";
import { online } from "../shared/setup.js";

const FIRECRAWL = "https://api.firecrawl.dev/v1";
const useFirecrawl = () => Boolean(process.env.FIRECRAWL_API_KEY) && online("ANTHROPIC_API_KEY");

async function firecrawl(path: string, body: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
  const response = await fetch(`${FIRECRAWL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.FIRECRAWL_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw new Error(`Firecrawl ${path} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** The stand-in web: three results per query, each page a few paragraphs about it. */
function standInResults(query: string) {
  return ["overview", "recent-results", "open-questions"].map((kind, i) => ({
    title: `${query}: ${kind.replace("-", " ")}`,
    url: `https://research.example/${slug(query)}/${kind}`,
    description: `Source ${i + 1} on ${query}, covering its ${kind.replace("-", " ")}.`,
  }));
}

export const webSearch = tool({
  name: "web_search",
  description: "Search the web. Returns the title, URL and a snippet of the top results.",
  parameters: z.object({ query: z.string() }),
  execute: async ({ query }, { signal }) => {
    let items: { title?: string; url?: string; description?: string }[];
    if (useFirecrawl()) {
      const data = (await firecrawl("/search", { query, limit: 5 }, signal)).data as unknown;
      // v1 answers a list; newer versions group the results under `web`.
      items = (Array.isArray(data) ? data : ((data as { web?: unknown[] } | undefined)?.web ?? [])) as typeof items;
    } else {
      items = standInResults(query);
    }
    if (items.length === 0) return `No results found for: ${query}`;
    return items.map((item, i) => `[${i + 1}] ${item.title ?? "No title"}\n    URL: ${item.url ?? ""}\n    ${(item.description ?? "").slice(0, 300)}`).join("\n\n");
  },
});

export const webScrape = tool({
  name: "web_scrape",
  description: "Read a web page as Markdown. Use it for full articles.",
  parameters: z.object({ url: z.string() }),
  execute: async ({ url }, { signal }) => {
    let markdown: string;
    if (useFirecrawl()) {
      const data = (await firecrawl("/scrape", { url, formats: ["markdown"] }, signal)).data as { markdown?: string } | undefined;
      markdown = data?.markdown ?? "";
    } else {
      const topic = url.split("/").at(-2)?.replaceAll("-", " ") ?? "the topic";
      markdown = `# ${topic}\n\nThree independent groups reported progress on ${topic} this year, with results that held up on replication.\n\nThe main open question is cost at scale; two pilot projects report figures within a factor of two of the target.\n\nSource: ${url}`;
    }
    if (!markdown) return `Could not extract content from: ${url}`;
    // Long pages are cut to keep the tool result a reasonable size.
    return markdown.length > 8_000 ? `${markdown.slice(0, 8_000)}\n\n[...content truncated...]` : markdown;
  },
});
