// The environment a run's processes start from, and the machine it ran on.
import { availableParallelism } from 'node:os';

/** The harness's environment minus its own STAMPEDE_* variables (a nested run must not leak them). */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !key.startsWith('STAMPEDE_')) env[key] = value;
  return env;
}

/** Which machine a run was on: a merged nightly must tell a Windows failure from a Linux one. */
export interface Platform {
  /** `process.platform`: linux, darwin, win32... */
  os: string;
  arch: string;
  /** `process.version`, e.g. v20.20.2. */
  node: string;
  cpus: number;
}

export function currentPlatform(): Platform {
  return { os: process.platform, arch: process.arch, node: process.version, cpus: availableParallelism() };
}

/** `linux x64, Node v20.20.2, 2 CPUs` */
export function describePlatform(p: Platform): string {
  return `${p.os} ${p.arch}, Node ${p.node}, ${p.cpus} CPU${p.cpus === 1 ? '' : 's'}`;
}
