/**
 * Streaming with tools: text, tool calls and their results as they happen.
 *
 *   npx tsx examples/06_streaming_tools.ts          # ANTHROPIC_API_KEY=… for Claude
 */
import { Agent } from "dendrux";
import { AnthropicProvider } from "dendrux/llm/anthropic";
import { online } from "./shared/setup.js";
import { WEATHER_PROMPT, WEATHER_QUESTION, convertTemp, getWeather, offlineWeatherModel, printStream } from "./shared/weather.js";

await using agent = new Agent({
  provider: online("ANTHROPIC_API_KEY") ? new AnthropicProvider({ model: "claude-sonnet-4-6" }) : offlineWeatherModel(),
  prompt: WEATHER_PROMPT,
  tools: [getWeather, convertTemp],
});
await printStream(agent.stream(WEATHER_QUESTION));
