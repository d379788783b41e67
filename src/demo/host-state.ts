/**
 * Reads a sandbox back the way a service would: the release and .env only when the service
 * (re)starts (run/generation changed), its running state and the load balancer's weights on
 * every tick. Writes run/health, which the `health` tool reports.
 */
import { readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { HostView } from './behaviour.js';
import type { PlannedHost } from './plan.js';

/** Parses KEY=VALUE lines (comments and blank lines ignored; the last value wins). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** Parses `POOL PERCENT` lines. */
export function parseWeights(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split(/\r?\n/)) {
    const [pool, w] = line.trim().split(/\s+/);
    if (pool && w !== undefined && Number.isFinite(Number(w))) out[pool] = Number(w);
  }
  return out;
}

/** One host's sandbox, as the simulation sees it. */
export class SandboxReader {
  private generation = '';
  /** True when the last view() saw a (re)start. */
  reloaded = false;
  private loaded: Pick<HostView, 'version' | 'env'> = { version: 'none', env: {} };

  constructor(
    readonly host: PlannedHost,
    readonly dir: string,
  ) {}

  /** The host now: running state every time, release and .env as of the last (re)start. */
  view(): HostView {
    const gen = this.read('run/generation');
    this.reloaded = gen !== this.generation;
    if (this.reloaded) {
      this.generation = gen;
      this.loaded = { version: this.currentRelease(), env: parseEnvFile(this.read('.env')) };
    }
    return {
      name: this.host.name,
      role: this.host.role,
      ...(this.host.pool ? { pool: this.host.pool } : {}),
      running: this.read('run/state').trim() === 'running',
      ...this.loaded,
    };
  }

  /** The load balancer's weights (lb hosts), or undefined. */
  weights(): Record<string, number> | undefined {
    return this.host.role === 'lb' ? parseWeights(this.read('lb/weights')) : undefined;
  }

  /** Pools that get a shadow copy of the traffic (lb hosts). */
  mirrored(): string[] {
    return this.host.role === 'lb' ? this.read('lb/mirror').split(/\s+/).filter(Boolean) : [];
  }

  /** Replaces run/health (atomically: the `health` tool may be reading it), with the generation it reflects. */
  writeHealth(fields: Record<string, string>): void {
    const tmp = join(this.dir, 'run', '.health.tmp');
    try {
      writeFileSync(
        tmp,
        Object.entries({ ...fields, generation: this.generation.trim() })
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      renameSync(tmp, join(this.dir, 'run', 'health'));
    } catch {
      // A command may have removed run/; the next tick writes it again.
    }
  }

  private currentRelease(): string {
    try {
      return basename(readlinkSync(join(this.dir, 'current')));
    } catch {
      return 'none';
    }
  }

  private read(rel: string): string {
    try {
      return readFileSync(join(this.dir, rel), 'utf8');
    } catch {
      return '';
    }
  }
}
