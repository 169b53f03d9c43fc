/** The weather assistant of the streaming examples: its tools, its offline model and a printer for its stream. */
import { z } from "zod";
import { tool, type RunStream } from "dendrux";
import { scriptedModel } from "./setup.js";

const WEATHER: Record<string, { temp: number; condition: string; humidity: number }> = {
  London: { temp: 12, condition: "cloudy", humidity: 78 },
  Tokyo: { temp: 24, condition: "sunny", humidity: 45 },
  "New York": { temp: 18, condition: "partly cloudy", humidity: 62 },
};

export const getWeather = tool({
  name: "get_weather",
  description: "Get the current weather for a city.",
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => WEATHER[city] ?? { temp: 20, condition: "unknown", humidity: 50 },
});

export const convertTemp = tool({
  name: "convert_temp",
  description: "Convert a temperature from Celsius to another unit.",
  parameters: z.object({ celsius: z.number(), to_unit: z.string() }),
  execute: ({ celsius, to_unit }) => {
    if (to_unit.toLowerCase() === "fahrenheit") return `${((celsius * 9) / 5 + 32).toFixed(1)}°F`;
    if (to_unit.toLowerCase() === "kelvin") return `${(celsius + 273.15).toFixed(1)}K`;
    return `${celsius}°C`;
  },
});

export const WEATHER_PROMPT =
  "You report the weather. Fetch conditions with get_weather; when the user wants another unit, convert with " +
  "convert_temp. Keep it short.";

export const WEATHER_QUESTION = "How is the weather in Tokyo and in London right now? Temperatures in Fahrenheit, please.";

/** What a model does with the question: fetch both cities, convert both temperatures, answer. */
export function offlineWeatherModel() {
  return scriptedModel([
    { text: "Let me check both cities.", toolCalls: ["Tokyo", "London"].map((city) => ({ name: "get_weather", params: { city } })), usage: { inputTokens: 420, outputTokens: 62 } },
    {
      toolCalls: [24, 12].map((celsius) => ({ name: "convert_temp", params: { celsius, to_unit: "fahrenheit" } })),
      usage: { inputTokens: 560, outputTokens: 70 },
    },
    { text: "Tokyo is sunny at 75.2°F (45% humidity); London is cloudy at 53.6°F (78% humidity).", usage: { inputTokens: 680, outputTokens: 31 } },
  ]);
}

/** Prints a run as it streams: text, each tool call with its arguments and result, and the totals. */
export async function printStream(stream: RunStream): Promise<void> {
  console.log(`Run ID: ${stream.runId}\n`);
  for await (const event of stream) {
    if (event.type === "text_delta") process.stdout.write(event.text);
    else if (event.type === "tool_use_start") process.stdout.write(`\n  >> calling ${event.toolName}...`);
    else if (event.type === "tool_use_end") console.log(` ${JSON.stringify(event.toolCall.params)}`);
    else if (event.type === "tool_result") {
      console.log(`  << ${event.toolCall.name} [${event.toolResult.success === false ? "error" : "ok"}]: ${event.toolResult.payload}`);
    } else if (event.type === "run_completed") {
      console.log(`\n\n--- ${event.result.iterationCount} iterations, ${event.result.usage.totalTokens} tokens ---`);
    } else if (event.type === "run_error") console.log(`\n[error] ${event.error}`);
  }
}
