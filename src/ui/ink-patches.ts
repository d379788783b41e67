/**
 * Two changes to Ink 6.8 (pinned in package.json), applied from outside its build:
 * - its per-frame caches of measured and tokenized lines are kept across frames (bounded): Ink
 *   rebuilds every frame from scratch, though nearly every line is the same as in the last one;
 *   this halves the console's CPU under load;
 * - on a stream marked as the alternate screen, frames are written by `altScreenLog` (absolute
 *   rows), because Ink's incremental writer drifts a line per frame there.
 * If Ink's build does not have the expected shape, nothing is changed and Ink works as it always did.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { altScreenLog } from './alt-screen-log.js';

const LIMIT = 20_000;
const ALT = Symbol.for('cutover.altScreen');

/** Marks a stream as showing the alternate screen, drawn from its top left. */
export function markAltScreen(stream: object): void {
  (stream as Record<symbol, boolean>)[ALT] = true;
}

/** Applies the patches once; resolves to which of them took. */
export async function installInkPatches(): Promise<{ caches: boolean; altScreen: boolean }> {
  const dir = dirname(createRequire(import.meta.url).resolve('ink'));
  return { caches: await patchCaches(dir), altScreen: await patchLog(dir) };
}

async function patchLog(dir: string): Promise<boolean> {
  try {
    type Create = (stream: unknown, opts?: { incremental?: boolean }) => unknown;
    const mod = (await import(pathToFileURL(join(dir, 'log-update.js')).href)) as { default: { create: Create; __cutover?: boolean } };
    const lu = mod.default;
    if (typeof lu?.create !== 'function') return false;
    if (lu.__cutover) return true;
    const original = lu.create;
    lu.create = (stream, opts) =>
      opts?.incremental && (stream as Record<symbol, boolean>)[ALT] ? altScreenLog(stream as NodeJS.WriteStream) : original(stream, opts);
    lu.__cutover = true;
    return true;
  } catch {
    return false;
  }
}

async function patchCaches(dir: string): Promise<boolean> {
  try {
    const mod = (await import(pathToFileURL(join(dir, 'output.js')).href)) as { default: new (o: { width: number; height: number }) => { caches?: object } };
    const probe = new mod.default({ width: 1, height: 1 }).caches;
    const proto = probe && Object.getPrototypeOf(probe);
    if (!proto || typeof proto.getStyledChars !== 'function' || typeof proto.getStringWidth !== 'function') return false;
    if (proto.__cutoverCached) return true;
    proto.getStyledChars = memo(proto.getStyledChars);
    proto.getStringWidth = memo(proto.getStringWidth);
    proto.__cutoverCached = true;
    return true;
  } catch {
    return false;
  }
}

/** A method wrapped with a bounded cache shared by every frame. */
function memo<T>(f: (this: unknown, key: string) => T): (this: unknown, key: string) => T {
  const cache = new Map<string, T>();
  return function (this: unknown, key: string) {
    let v = cache.get(key);
    if (v === undefined) {
      v = f.call(this, key);
      if (cache.size >= LIMIT) cache.clear();
      cache.set(key, v);
    }
    return v;
  };
}

/**
 * Loads Ink (and what imports it) for an interactive terminal. Ink decides once, when it loads,
 * whether it runs in CI (from the CI variables) and then draws nothing until it exits: right for
 * logs, wrong for an operator's terminal that happens to carry CI=true (and for our tmux tests).
 */
export async function loadInteractive<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}
