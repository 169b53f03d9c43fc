/**
 * Every example runs offline (its scripted model, local stand-ins for outside
 * services) as a child process, exactly as a user runs it, and prints what it
 * promises. Examples that store runs also run on PostgreSQL.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachBackend, type TestDatabase } from "../support/backends.js";
import { limiter, offlineEnv, runExample } from "../support/examples.js";

interface Example {
  readonly file: string;
  readonly args?: readonly string[];
  /** Lines (or patterns) the output must contain. */
  readonly prints: readonly (string | RegExp)[];
  /**
   * Also run on PostgreSQL. Every example that stores runs takes its database from
   * DENDRUX_DATABASE_URL; these cover the stored paths (pause and resume, delegation
   * links, threads, the PII mapping) on PostgreSQL without running the whole set twice.
   */
  readonly postgres?: boolean;
  /** Checks after the run, given the example's scratch directory. */
  readonly after?: (scratch: string) => void;
}

const EXAMPLES: readonly Example[] = [
  { file: "examples/01_hello_world.ts", prints: ["calling add a=15, b=27", "status       success", "answer: 15 + 27 = 42."] },
  {
    file: "examples/02_persistent_agent.ts",
    postgres: true,
    prints: ["Completed in 3 iterations", "Stored: status=success, 8 messages, 3 LLM calls", 'tool lookup_price({"ticker":"MSFT"}) → MSFT: $445.20', "Total: $12,070.50", /npx dendrux traces \w{26} --tools/],
  },
  {
    file: "examples/04_research_agent/main.ts",
    args: ["solid-state batteries"],
    postgres: true,
    prints: ["[search] solid-state batteries overview", "[search] solid-state batteries latest results", "[deep_read] https://research.example/", "tools called 4", /delegated 3 sub-runs/, /└ SearchAgent\s+\w{26}\s+success\s+level 1/, /└ ScrapeAgent\s+\w{26}\s+success\s+level 1/],
    after: (scratch) => expect(readFileSync(join(scratch, "output", "solid_state_batteries.md"), "utf8")).toMatch(/^# solid-state batteries\n[\s\S]*## Conclusion/),
  },
  { file: "examples/04_research_agent/stream.ts", args: ["tidal power"], prints: [">> research_topic", ">> deep_read", "<< save_report", "--- success: 4 iterations"] },
  { file: "examples/05_streaming_text.ts", prints: [/^Run ID: \w{26}$/m, "the point of no return is called the event horizon.", "--- 75 tokens ---"] },
  ...["06_streaming_tools", "07_streaming_openai", "08_streaming_openai_responses"].map((name) => ({
    file: `examples/${name}.ts`,
    prints: ['>> calling get_weather... {"city":"Tokyo"}', '<< get_weather [ok]: {"temp": 12, "condition": "cloudy", "humidity": 78}', '<< convert_temp [ok]: "75.2\\u00b0F"', "Tokyo is sunny at 75.2°F", "--- 3 iterations, 1823 tokens ---"],
  })),
  { file: "examples/10_single_call.ts", prints: [/I love working with it!\s+→ positive/, /confusing and half of it is mis → negative/, /centimetres\.\s+→ neutral/, "Summary: In July 1969 Apollo 11", /\(\d+ tokens\)/] },
  {
    file: "examples/11_structured_output.ts",
    prints: ["label=positive, confidence=0.95", "label=negative, confidence=0.95", "label=neutral, confidence=0.90", "title: Arrival", "rating: 9/10", "outputType on run(): {\"label\":\"positive\"", "no outputType: output=undefined", "All structured output checks passed!"],
  },
  { file: "examples/12_structured_output_stream.ts", prints: ["word_count: 76", "output is undefined (no outputType): correct", /\d+ partial objects, then the validated value: 3 key points, word_count=76/, "All checks passed!"] },
  {
    file: "examples/13_mcp_filesystem.ts",
    prints: ["mcp filesystem 6 tool(s)", "Answer: The file says: Hi! This file was here before the agent started.", "Verification: notes.txt exists, content: Team sync moved to 3pm.", "[FILE] hello.txt\n[FILE] notes.txt"],
  },
  {
    file: "examples/14_skills/skills-agent.ts",
    prints: ["Skills: organize-notes, summarize-file", "skill organize-notes denied", "skill summarize-file invoked", "calling filesystem__read_text_file", "Takeaway: a $150K Q2 infrastructure budget", "that skill is not available to me", "[FILE] project-ideas.txt"],
  },
  { file: "examples/15_cache_efficiency.ts", prints: ["· 2,310 cache-write", "· 2,310 cached", "cache read   7,690 (89% hit ratio)", "cache: 2310 tokens written, 7690 read", "The portfolio is worth $41,101.00"] },
  { file: "examples/16_cache_efficiency_openai.ts", prints: ["=== OpenAI Chat Completions (gpt-4o) ===", "=== OpenAI Responses API (gpt-4o) ===", "cache read   7,690 (70% hit ratio)"] },
  { file: "examples/18_chatbot.ts", prints: ["bot:  Lovely choice! When are you going?", "bot:  The Gulbenkian Museum is a must.", /thread thread_\w+: 3 runs/, "user u_123: 3 runs, total cost $0.001500"] },
  { file: "examples/19_chatbot_postgres.ts", postgres: true, prints: ["bot:  Sure, I'll send it to ana.silva@example.com.", "bot:  [error] Guardrail 'PromptInjection' blocked: INSTRUCTION_OVERRIDE", /thread thread_\w+: 5 runs/] },
  {
    file: "examples/20_notifier_complete_cycle.ts",
    postgres: true,
    prints: [/onRunStarted\s+10\s+✓/, /onRunFinished\s+10\s+✓/, /onToolStarted\s+10\s+✓/, /onToolCompleted\s+10\s+✓/, /policy\.denied\s+1\s+✓/, /approval\.requested\s+2\s+✓/, /approval\.decided\s+2\s+✓/, /budget\.threshold\s+3\s+✓/, /budget\.exceeded\s+1\s+✓/, /guardrail\.detected\s+2\s+✓/, /guardrail\.redacted\s+2\s+✓/],
  },
  {
    file: "examples/21_otel_complete_cycle.ts",
    prints: ["invoke_agent spans       10", "chat spans               17", "execute_tool spans       10", /chat \/ execute_tool have a live parent\s+✓/, /invoke_agent carries dendrux\.run\.id\s+✓/, "└ OK  chat offline-mock", "gov: policy.denied"],
  },
  {
    file: "examples/22_observability_complete_stack.ts",
    prints: ["Customer C-7782 (Jane Doe, jane@example.com) is in Paris", "tool_calls        2", "AlertNotifier (custom)  saw 3 LLM call(s), 2 tool call(s), 5 governance event(s)", "└ OK  execute_tool lookup_weather", "answer (stored)  Customer C-7782 (Jane Doe, <<EMAIL_ADDRESS_1>>)"],
  },
  { file: "examples/23_per_turn_model.ts", prints: ["default   -> recorded model: claude-haiku-4-5", "override  -> recorded model: claude-sonnet-4-6", 'request 2: "Pong."  (provider reused)', "shared provider closed once"] },
  { file: "examples/24_mcp_recipe_provider.ts", prints: ['Discovered 3 MCP tool(s): ["everything__echo","everything__get-env","everything__get-sum"]', "Answer: The tool says: The sum of 25 and 17 is 42.", "Iterations: 2"] },
  {
    file: "examples/25_reasoning.ts",
    prints: ["iterations=2  reasoning_tokens=102", "step 0 thinking: I should not rely on memory", "run total_reasoning_tokens: 102", "per-call reasoning_tokens: [64,38]", "per-call reasoning text present: [true,true]", "[answer] About 14 million people live in Tokyo."],
  },
  { file: "examples/26_reasoning_openai.ts", prints: ["reasoning_tokens: 170", "thinking: If the pen costs p", "[thinking] If the pen costs p", "[answer] The pen costs $0.15"] },
  { file: "examples/27_openai_compatible_ollama.ts", prints: ["== run() against llama3.2:3b @ a local stand-in ==", "Answer: The total is 5555.", '>> add({"a":100,"b":23})', "<< 123", "The total is 123."] },
  { file: "examples/28_context_blocks.ts", prints: [/turn 1\s+input=\s+21\s+cache_write=\s+3030\s+cache_read=\s+-/, /turn 2\s+input=\s+64\s+cache_write=\s+-\s+cache_read=\s+3050/, "turn 2 read 3050 tokens from the cache"] },
  {
    file: "examples/29_openrouter.ts",
    prints: ["Catalog size: 6 models", "Free + native tools: 2", "Multimodal: 2, text-only: 4", "  - openai/gpt-4o-mini  ($0.150/1M input tokens)", "A model WITHOUT native tools: gryphe/mythomax-l2-13b", "Answer: 15 + 27 = 42.", "Answer: Paris is the capital of France.", "Model 'gryphe/mythomax-l2-13b' (via OpenRouter) does not advertise native tool support"],
  },
  { file: "examples/governance/01_tool_deny.ts", prints: ["deny delete_account denied_by_policy", "Answer: Order 456 is refunded", "[denied] delete_account: Tool 'delete_account' is denied by policy.", "[tool] search:"] },
  {
    file: "examples/governance/02_approval.ts",
    args: ["--reject"],
    prints: ["Run paused — waiting_approval", 'Pending: refund({"order_id":456})', "Rejecting: Rejected by the operator", "approve rejected", "Answer: The refund of order 456 was not approved"],
  },
  { file: "examples/governance/03_budget.ts", prints: ["budget 50% used", "budget 90% used", "budget exceeded", "status       success", "Budget cap: 2,000 (advisory"] },
  {
    file: "examples/governance/04_guardrails.ts",
    prints: ["guard redacted", "Answer: I emailed jane@example.com a hello.", "The email tool was called with: jane@example.com (the real address)", "Error: Guardrail 'SecretDetection' blocked: AWS_ACCESS_KEY at characters 26-46", "Answer: Reach Jane at jane@example.com"],
  },
  {
    file: "examples/governance/05_dashboard.ts",
    prints: ["Approving automatically for the demo...", "governance_event guardrail.redacted", "governance_event policy.denied", "governance_event approval.requested", "pause_segment", "tool_call refund", "governance_event approval.decided", "governance_event budget.exceeded", "finish"],
  },
  {
    file: "examples/governance/06_named_entities_tool_calls.ts",
    postgres: true,
    prints: ['customer_email   "alice.johnson@example.com"', 'shipping_city    "San Francisco"', 'customer_name    "<<PERSON_1>>"', "Refund <<PERSON_1>>'s order from <<DATE_TIME_1>>", '<<PERSON_1>>           → "Alice Johnson"', "All five entity types were redacted"],
  },
  {
    file: "examples/governance/07_prompt_injection.ts",
    prints: ["Error:  Guardrail 'PromptInjection' blocked: INSTRUCTION_OVERRIDE at characters 7-35", "Error:  Guardrail 'PromptInjection' blocked: INSTRUCTION_OVERRIDE at characters 159-191", "Answer: The page is about Cloud patterns; I did not follow", "Answer: The page is about the weather."],
  },
];

const run = limiter(3);

describeEachBackend("the examples, offline", (backend) => {
  let database: TestDatabase | null = null;
  const scratch = mkdtempSync(join(tmpdir(), "dendrux-examples-"));
  beforeAll(async () => {
    if (backend.name === "postgres") database = await backend.create();
  }, 60_000);
  afterAll(async () => {
    await database?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const example of EXAMPLES.filter((e) => backend.name === "sqlite" || e.postgres)) {
    it.concurrent(example.file, async () => {
      const dir = mkdtempSync(join(scratch, "run-"));
      const url = database?.url ?? `sqlite:///${join(dir, "runs.db")}`;
      const env = offlineEnv(url, { RESEARCH_OUTPUT_DIR: join(dir, "output") });
      const { code, stdout, stderr } = await run(() => runExample(example.file, example.args ?? [], env));
      expect(code, `exit code\nstdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
      for (const line of example.prints) {
        if (typeof line === "string") expect(stdout, `stderr:\n${stderr}`).toContain(line);
        else expect(stdout, `stderr:\n${stderr}`).toMatch(line);
      }
      example.after?.(dir);
    }, 180_000);
  }
});

it("every example file is run by this suite or by the browser suite", () => {
  const root = join(import.meta.dirname, "..", "..", "examples");
  const browser = ["03_client_tools/server.ts", "09_client_tools_streaming/server.ts", "17_full_stack_app/server.ts"];
  const entryPoints = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => /^(\d\d_[^/]+\.ts|\d\d_[^/]+\/(main|stream|server|skills-agent)\.ts|governance\/\d\d_[^/]+\.ts)$/.test(f))
    .sort();
  const covered = new Set([...EXAMPLES.map((e) => e.file.slice("examples/".length)), ...browser]);
  expect(entryPoints.filter((f) => !covered.has(f))).toEqual([]);
  expect(browser.every((f) => existsSync(join(root, f)))).toBe(true);
});
