import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { GuardEngine, PII } from "../../src/guardrails/index.js";
import { presidioDetector } from "../../examples/shared/presidio-detector.js";
import { startPresidioStandIn } from "../../examples/shared/presidio-stand-in.js";
import { describeEachBackend } from "../support/backends.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

describeEachBackend("the external NER engine example", (backend) => {
  it("redacts names and places found over HTTP, stores placeholders, answers with the real values", async () => {
    const database = await backend.create();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DENDRUX_LOG: "silent" };
      delete env.ANTHROPIC_API_KEY;
      delete env.PRESIDIO_ANALYZER_URL;
      const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/guardrails-external-engine/main.ts", database.url], { cwd: root, env });
      expect(stdout.trim().split("\n")).toEqual([
        "model saw: Write to <<PERSON_1>> (<<EMAIL_ADDRESS_1>>) about her trip to <<LOCATION_1>>.",
        "answer:    I will write to Ada Lovelace and book the trip to London.",
        "stored:    Write to <<PERSON_1>> (<<EMAIL_ADDRESS_1>>) about her trip to <<LOCATION_1>>.",
        'mapping:   {"<<EMAIL_ADDRESS_1>>":"ada@example.com","<<LOCATION_1>>":"London","<<PERSON_1>>":"Ada Lovelace"}',
      ]);
    } finally {
      await database.cleanup();
    }
  }, 60_000);
});

it("the example's detector turns the service's code-point offsets into JavaScript string offsets", async () => {
  const ner = await startPresidioStandIn();
  try {
    const engine = new GuardEngine([new PII({ engine: presidioDetector(ner.url) })]);
    expect(await engine.redactText("🎉 Grace Hopper flies to Zürich")).toBe("🎉 <<PERSON_1>> flies to <<LOCATION_1>>");
  } finally {
    await ner.close();
  }
});
