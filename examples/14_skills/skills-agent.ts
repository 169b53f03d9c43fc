/**
 * Skills next to MCP tools, under governance. The agent has two skills
 * (instruction packages it loads on demand with `use_skill`) but one is denied
 * by policy, plus a filesystem MCP server with its destructive tools denied.
 *
 *   npx tsx examples/14_skills/skills-agent.ts     # ANTHROPIC_API_KEY=… for Claude and the real server (needs npx)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, type LLMRequest } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { Skill } from "dendrux/skills";
import { fileAssistantStep, filesystemSource, runTasks } from "../shared/filesystem-agent.js";
import { DATABASE_URL, lastUserText, online, scriptedModel, toolResults } from "../shared/setup.js";

const SKILLS_DIR = join(import.meta.dirname, "skills");
const real = online("ANTHROPIC_API_KEY");
const workDir = mkdtempSync(join(tmpdir(), "dendrux-skills-"));
writeFileSync(
  join(workDir, "meeting-notes.txt"),
  "Roadmap review — 14 April\nPresent: Ana, Ben, Chloé\n\nDecided:\n- Public API ships on 1 June\n- Two engineers to be hired\n" +
    "- Stand-ups become weekly\n\nTo do:\n- Ana: API draft by 21 April\n- Ben: job ads by 18 April\n- Chloé: new sprint calendar\n\nQ2 infrastructure budget: $150K approved.\n",
);
writeFileSync(join(workDir, "project-ideas.txt"), "Ideas for Q3:\n1. Live metrics dashboard for customers\n2. Automated onboarding\n3. Translated API docs\n");

/** Offline: reach for a skill first when the task matches one, then work like the file assistant. */
function offlineModel() {
  const files = fileAssistantStep(workDir);
  return scriptedModel([
    (request: LLMRequest) => {
      const text = lastUserText(request);
      if (/summar/i.test(text)) return { toolCalls: [{ name: "use_skill", params: { name: "summarize-file" } }] };
      if (/organi[sz]e/i.test(text)) return { toolCalls: [{ name: "use_skill", params: { name: "organize-notes" } }] };
      return files(request);
    },
    (request: LLMRequest) => {
      const skill = toolResults(request).use_skill;
      if (skill === undefined) return files(request);
      if (skill.startsWith("Skill 'organize-notes' not found")) {
        return "I can't reorganise notes here: that skill is not available to me. I can summarise each file instead, if that helps.";
      }
      // The skill's instructions say: read the file first.
      return { toolCalls: [{ name: "filesystem__read_text_file", params: { path: join(workDir, "meeting-notes.txt") } }] };
    },
    (request: LLMRequest) =>
      "meeting-notes.txt is the record of the 14 April roadmap review.\n- The public API ships on 1 June\n- Two engineers will be hired\n" +
      `- Stand-ups become weekly\nTakeaway: ${/\$150K/.test(toolResults(request).filesystem__read_text_file ?? "") ? "a $150K" : "the"} Q2 infrastructure budget backs the plan.`,
  ]);
}

const all = Skill.scanDir(SKILLS_DIR);
console.log(`Skills + MCP Agent\nWork dir: ${workDir}\nSkills: ${all.map((s) => s.name).join(", ")}\nDenied: organize-notes`);

const filesystem = await filesystemSource(workDir, real);
try {
  await using agent = new Agent({
    name: "SkillsAgent",
    provider: real ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offlineModel(),
    prompt: `You help with the documents in ${workDir}, using your skills and the filesystem tools. Say what you did once a task is done.`,
    toolSources: [filesystem.source],
    skillsDir: SKILLS_DIR,
    denySkills: ["organize-notes"],
    deny: ["filesystem__move_file", "filesystem__edit_file"],
    databaseUrl: DATABASE_URL,
    maxIterations: 10,
  });
  await runTasks(agent, [
    "Summarize the meeting-notes.txt file.",
    "Organize all the notes in the working directory into one structured document.",
    "List all files in the working directory.",
  ]);
} finally {
  await filesystem.close();
}
