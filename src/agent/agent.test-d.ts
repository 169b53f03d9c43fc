import { expectTypeOf, test } from "vitest";
import { z } from "zod";
import { MockLLM } from "../llm/mock/index.js";
import { SingleCall } from "../loops/single-call.js";
import type { RunStream } from "../runtime/run-stream.js";
import type { RunResult } from "../types/run-result.js";
import { Agent } from "./agent.js";

const Verdict = z.object({ label: z.enum(["positive", "negative"]), confidence: z.number() });
type Verdict = z.infer<typeof Verdict>;
const provider = new MockLLM([]);

test("an agent's outputType types result.output without restating it", async () => {
  const agent = new Agent({ provider, prompt: "Classify.", loop: new SingleCall(), outputType: Verdict });
  expectTypeOf(agent).toEqualTypeOf<Agent<Verdict>>();
  const result = await agent.run("I love it");
  expectTypeOf(result).toEqualTypeOf<RunResult<Verdict>>();
  expectTypeOf(result.output).toEqualTypeOf<Verdict | undefined>();
  expectTypeOf(agent.stream("I love it")).toEqualTypeOf<RunStream<Verdict>>();
  expectTypeOf(agent.stream("I love it").result).toEqualTypeOf<RunResult<Verdict> | null>();
  expectTypeOf(await agent.retry("run")).toEqualTypeOf<RunResult<Verdict>>();
  expectTypeOf(await agent.resume("run")).toEqualTypeOf<RunResult<Verdict>>();
});

test("a run's own outputType wins over the agent's", async () => {
  const agent = new Agent({ provider, prompt: "p", loop: new SingleCall(), outputType: Verdict });
  const result = await agent.run("x", { outputType: z.object({ n: z.number() }) });
  expectTypeOf(result.output).toEqualTypeOf<{ n: number } | undefined>();
});

test("without an outputType the output is unknown, and every agent is an Agent", async () => {
  const plain = new Agent({ provider, prompt: "p" });
  expectTypeOf(plain).toEqualTypeOf<Agent<unknown>>();
  expectTypeOf((await plain.run("x")).output).toEqualTypeOf<unknown>();
  expectTypeOf((await plain.run("x", { outputType: Verdict })).output).toEqualTypeOf<Verdict | undefined>();
  // Typed agents go wherever an Agent is accepted (a dashboard's agents, a list of handlers).
  const typed = new Agent({ provider, prompt: "p", loop: new SingleCall(), outputType: Verdict });
  expectTypeOf(typed).toExtend<Agent>();
  const agents: readonly Agent[] = [plain, typed];
  expectTypeOf(agents).toEqualTypeOf<readonly Agent[]>();
  // Subclasses keep working; a subclass can fix its output type.
  class Classifier extends Agent<Verdict> {}
  expectTypeOf((await new Classifier({ provider, prompt: "p", loop: new SingleCall(), outputType: Verdict }).run("x")).output).toEqualTypeOf<Verdict | undefined>();
  // @ts-expect-error: the schema must produce the subclass's output type
  new Classifier({ provider, prompt: "p", loop: new SingleCall(), outputType: z.object({ n: z.number() }) });
});
