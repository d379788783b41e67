/**
 * A tiny tmpfs for tests of a full disk. Mounting needs root (or CAP_SYS_ADMIN): where it is not
 * allowed the caller skips with a clear message, except under CI, which runs as root and must mount.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

/** A mounted tmpfs: its directory, and how to take it down. */
export interface Tmpfs {
  dir: string;
  /** Unmounts (lazily if it is busy); safe to call twice. */
  unmount(): void;
}

/**
 * Mounts a tmpfs of `size` (mount(8)'s syntax: 256k) on the existing directory `dir`. Returns
 * undefined (and prints why the suite is skipped) when mounting is not allowed outside CI; under
 * CI a failed mount throws, so the suite fails loudly. Either way `dir` is removed when it fails.
 */
export function mountTmpfs(dir: string, size: string): Tmpfs | undefined {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] || `mount exited ${r.status}`;
    const msg = `cannot mount a tmpfs on ${dir} (${why}): the full-disk tests need root or CAP_SYS_ADMIN`;
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI) throw new Error(`${msg}; CI runs as root and must be able to`);
    console.warn(`SKIPPED: ${msg}`);
    return undefined;
  }
  let mounted = true;
  return {
    dir,
    unmount() {
      if (!mounted) return;
      mounted = false;
      if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
    },
  };
}

/** Writes zeros to `file` until the filesystem is full (ENOSPC); returns how many bytes went in. */
export function fillUp(file: string): number {
  const fd = openSync(file, 'wx', 0o600);
  const block = Buffer.alloc(4096);
  let n = 0;
  try {
    for (;;) n += writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return n;
}
