// The environment a run's processes start from.

/** The harness's environment minus its own STAMPEDE_* variables (a nested run must not leak them). */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('STAMPEDE_')) env[key] = value;
  return env;
}
