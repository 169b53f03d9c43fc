/**
 * The research orchestrator: an agent whose tools are other agents. It plans
 * queries, delegates each to the search specialist, reads the best sources
 * with the reading specialist, and saves a Markdown report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { Agent, tool, type LLMRequest } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { DATABASE_URL, lastUserText, online, scriptedModel, toolResults } from "../shared/setup.js";
import { runScrape, runSearch } from "./sub-agents.js";

export const OUTPUT_DIR = process.env.RESEARCH_OUTPUT_DIR ?? join(import.meta.dirname, "output");

// maxCallsPerRun is enforced by the runtime: a fourth search gets a "limit reached" result, not a search.
const researchTopic = tool({
  name: "research_topic",
  description: "Research a query on the web and get summarised findings with sources. At most 3 calls: choose queries well.",
  parameters: z.object({ query: z.string() }),
  maxCallsPerRun: 3,
  timeoutSeconds: 120,
  execute: async ({ query }) => {
    console.log(`  [search] ${query}`);
    return runSearch(query);
  },
});

const deepRead = tool({
  name: "deep_read",
  description: "Read one web page in depth and get its key facts. At most 2 calls: keep them for the best sources.",
  parameters: z.object({ url: z.string() }),
  maxCallsPerRun: 2,
  timeoutSeconds: 120,
  execute: async ({ url }) => {
    console.log(`  [deep_read] ${url}`);
    return runScrape(url);
  },
});

const saveReport = tool({
  name: "save_report",
  description: "Save the finished report as a Markdown file.",
  parameters: z.object({ filename: z.string().describe("file name without extension, e.g. 'solid_state_batteries'"), content: z.string() }),
  execute: ({ filename, content }) => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, `${filename.replace(/[^\w-]/g, "_")}.md`);
    writeFileSync(path, content, "utf8");
    return `Report saved to ${path}`;
  },
});

const PROMPT = `You write research reports. Budget: 3 searches (research_topic) and 2 deep reads (deep_read) — plan accordingly.

1. Split the topic into two or three focused queries and research each.
2. Deep-read the most valuable sources the searches point to.
3. Write a Markdown report: a title, a short executive summary, one section per theme, a conclusion and a list of sources. Cite a URL for every claim, say where sources disagree and where coverage is thin.
4. Save it with save_report, then tell the user where it is.`;

const topicOf = (request: LLMRequest) => lastUserText(request).replace(/^.*?:\s*/, "");

/** Offline: two searches, one deep read of the first source found, a report assembled from the findings, then the answer. */
function offlineOrchestrator() {
  return scriptedModel([
    (request) => ({ toolCalls: ["overview", "latest results"].map((angle) => ({ name: "research_topic", params: { query: `${topicOf(request)} ${angle}` } })) }),
    (request) => ({ toolCalls: [{ name: "deep_read", params: { url: /\((https?:\/\/[^)]+)\)/.exec(toolResults(request).research_topic ?? "")?.[1] ?? "" } }] }),
    (request) => {
      const topic = topicOf(request);
      const found = toolResults(request);
      const content = `# ${topic}\n\n## Executive summary\n\n${found.deep_read}\n\n## Findings\n\n${found.research_topic}\n\n## Conclusion\n\nProgress is real; cost at scale is the open question.\n`;
      return { toolCalls: [{ name: "save_report", params: { filename: topic.replace(/\W+/g, "_"), content } }] };
    },
    (request) => `${toolResults(request).save_report}. It covers two searches and one in-depth source.`,
  ]);
}

export function createOrchestrator(): Agent {
  return new Agent({
    name: "ResearchOrchestrator",
    provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6", timeoutMs: 300_000 }) : offlineOrchestrator(),
    prompt: PROMPT,
    tools: [researchTopic, deepRead, saveReport],
    databaseUrl: DATABASE_URL,
    maxIterations: 25,
  });
}
