/**
 * The specialists the orchestrator delegates to: each is a full agent with
 * its own prompt, tools and loop, run inside one of the orchestrator's tools.
 * Run in the same database, each sub-run is stored with its parent's run id.
 */
import { Agent, type LLMProvider } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { DATABASE_URL, lastUserText, online, scriptedModel, toolResults } from "../shared/setup.js";
import { webScrape, webSearch } from "./web-tools.js";

function specialist(offline: () => LLMProvider): LLMProvider {
  return online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offline();
}

/** A search specialist: searches (more than once if useful) and summarises what it found, with sources. */
export async function runSearch(query: string): Promise<string> {
  await using agent = new Agent({
    name: "SearchAgent",
    provider: specialist(() =>
      scriptedModel([
        (request) => ({ toolCalls: [{ name: "web_search", params: { query: lastUserText(request) } }] }),
        (request) => `Findings for "${lastUserText(request)}":\n${toolResults(request).web_search?.split("\n\n").map((r) => `- ${r.split("\n")[0]!.replace(/^\[\d+\] /, "")} (${/URL: (\S+)/.exec(r)?.[1]})`).join("\n")}`,
      ]),
    ),
    prompt:
      "You research one question on the web. Search with web_search, rephrasing for coverage if needed, and report the facts " +
      "you found as a short structured summary with the URL of each source. Say so when results are thin; never invent.",
    tools: [webSearch],
    databaseUrl: DATABASE_URL,
  });
  return (await agent.run(query)).answer ?? "The search agent returned no answer.";
}

/** A reading specialist: scrapes one page and extracts its key facts. */
export async function runScrape(url: string): Promise<string> {
  await using agent = new Agent({
    name: "ScrapeAgent",
    provider: specialist(() =>
      scriptedModel([
        (request) => ({ toolCalls: [{ name: "web_scrape", params: { url: /https?:\/\/\S+/.exec(lastUserText(request))?.[0] ?? "" } }] }),
        (request) => `Key points of the page:\n${(toolResults(request).web_scrape ?? "").split("\n\n").slice(1).map((p) => `- ${p}`).join("\n")}`,
      ]),
    ),
    prompt:
      "You read one web page with web_scrape and return its key facts, figures and quotes, organised in short sections, " +
      "with the URL for attribution. If the page cannot be read, say so.",
    tools: [webScrape],
    databaseUrl: DATABASE_URL,
  });
  return (await agent.run(`Read and summarise this page: ${url}`)).answer ?? "The scrape agent returned no answer.";
}
