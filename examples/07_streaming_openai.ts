/**
 * Streaming with tools through OpenAI Chat Completions — the same agent as
 * 06, another provider.
 *
 *   npx tsx examples/07_streaming_openai.ts          # OPENAI_API_KEY=… for gpt-4o-mini
 */
import { Agent } from "dendrux";
import { OpenAIProvider } from "dendrux/llm/openai";
import { online } from "./shared/setup.js";
import { WEATHER_PROMPT, WEATHER_QUESTION, convertTemp, getWeather, offlineWeatherModel, printStream } from "./shared/weather.js";

await using agent = new Agent({
  provider: online("OPENAI_API_KEY") ? new OpenAIProvider({ model: "gpt-4o-mini" }) : offlineWeatherModel(),
  prompt: WEATHER_PROMPT,
  tools: [getWeather, convertTemp],
});
await printStream(agent.stream(WEATHER_QUESTION));
