/** One call, no tools: a classifier.   OPENAI_API_KEY=… npx tsx examples/providers/single-call.ts */
import { Agent, SingleCall } from "dendrux";
import { OpenAIProvider } from "dendrux/llm/openai";
import { needKey } from "./need-key.js";

needKey("OPENAI_API_KEY", "single-call");
await using agent = new Agent({ provider: new OpenAIProvider({ model: "gpt-4o-mini" }), prompt: "Answer with one word: positive or negative.", loop: new SingleCall() });
console.log((await agent.run("The delivery was late and the box was crushed.")).answer);
