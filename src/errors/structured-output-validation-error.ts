import { DendruxError } from "./dendrux-error.js";

/** The model's answer did not parse or did not match `outputType`. */
export class StructuredOutputValidationError extends DendruxError {
  override readonly name = "StructuredOutputValidationError";
  readonly rawResponse: string;
  readonly outputTypeName: string;
  readonly validationError: string;

  constructor({ rawResponse, outputTypeName, validationError }: { rawResponse: string; outputTypeName: string; validationError: string }) {
    super(
      `Structured output validation failed for ${outputTypeName}. Validation error: ${validationError}\n` +
        `Raw response: ${rawResponse.slice(0, 500)}`,
    );
    this.rawResponse = rawResponse;
    this.outputTypeName = outputTypeName;
    this.validationError = validationError;
  }
}
