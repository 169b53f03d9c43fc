/**
 * Streaming with tools through the OpenAI Responses API. It is OpenAI-only
 * (no compatible servers) and also offers built-in tools such as
 * `builtinTools: ["web_search_preview"]` next to your own.
 *
 *   npx tsx examples/08_streaming_openai_responses.ts          # OPENAI_API_KEY=… for gpt-5
 */
import { Agent } from "dendrux";
import { OpenAIResponsesProvider } from "dendrux/llm/openai-responses";
import { online } from "./shared/setup.js";
import { WEATHER_PROMPT, WEATHER_QUESTION, convertTemp, getWeather, offlineWeatherModel, printStream } from "./shared/weather.js";

await using agent = new Agent({
  provider: online("OPENAI_API_KEY") ? new OpenAIResponsesProvider({ model: "gpt-5" }) : offlineWeatherModel(),
  prompt: WEATHER_PROMPT,
  tools: [getWeather, convertTemp],
});
await printStream(agent.stream(WEATHER_QUESTION));
