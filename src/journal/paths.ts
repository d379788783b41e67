/** Where session journals live and what they are called. */
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';

/** Longest runbook-name part of a journal file name. */
const MAX_SLUG = 40;

/** `$XDG_STATE_HOME/cutover/sessions`, else `~/.local/state/cutover/sessions`. */
export function sessionsDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const state = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(state, 'cutover', 'sessions');
}

/** Lowercase ASCII letters, digits and single dashes, at most 40 characters; `session` if nothing is left. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return slug || 'session';
}

/** `2026-11-21T23-40-05Z-checkout-api-v2-1-0.jsonl`: UTC, sortable, no colons (they trouble some filesystems). */
export function journalFileName(runbookName: string, date: Date): string {
  const stamp = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `${stamp}-${slugify(runbookName)}.jsonl`;
}

/** Creates `dir` (mode 0700) if needed and returns the path for a new journal in it. */
export async function newJournalPath(dir: string, runbookName: string, date: Date = new Date()): Promise<string> {
  // Only a directory we create is tightened: changing the mode of one the user made would be a surprise.
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) await chmod(dir, 0o700);
  // Two sessions of one runbook in the same second get -2, -3, ... (create still refuses to overwrite).
  const base = journalFileName(runbookName, date).replace(/\.jsonl$/, '');
  for (let n = 1; ; n++) {
    const p = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.jsonl`);
    if (!existsSync(p)) return p;
  }
}
