/**
 * Tests that need a real binary (prometheus, sshd, tmux, ...) skip with a clear message when it
 * is missing, and fail instead when CI is set: CI installs them, so a missing one is a bug there.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH (or among `extra` dirs), or undefined. */
export function which(name: string, extra: string[] = ['/usr/sbin', '/usr/bin', '/sbin']): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extra];
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Returns the binary's path, or undefined (and prints why the suite is skipped) when it is
 * missing outside CI. Under CI a missing binary throws, so the suite fails loudly.
 */
export function needBinary(name: string, pkg: string): string | undefined {
  const p = which(name);
  if (p) return p;
  const msg = `${name} not found: install Debian's '${pkg}' (apt-get install ${pkg}) to run these tests`;
  if (process.env.CI) throw new Error(`${msg}; CI must have it`);
  console.warn(`SKIPPED: ${msg}`);
  return undefined;
}
