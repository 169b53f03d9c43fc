import { ValidationError } from "../../errors/validation-error.js";
/**
 * Vendor SDKs are optional peer dependencies: checked at provider
 * construction (a clear error naming the package) and imported on first use.
 */
export function assertSdkInstalled(packageName: string, provider: string): void {
  try {
    import.meta.resolve(packageName);
  } catch {
    throw new ValidationError({ field: "provider", message: `${provider} needs the "${packageName}" package. Install it: npm install ${packageName}` });
  }
}

export function loadApiKey(options: { apiKey: string | undefined; envVar: string; message: string }): string {
  const key = options.apiKey || process.env[options.envVar];
  if (!key) throw new ValidationError({ field: "apiKey", message: options.message });
  return key;
}
