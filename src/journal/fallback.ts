/**
 * Where the events go that the journal could not write (disk full, I/O error): a file of the same
 * lines, 0600, in another directory. The lines carry their seq and hash, so once there is room,
 * `cat FALLBACK >> JOURNAL` completes the journal and `cutover verify` checks the result.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the unwritten lines went: a file, or nowhere (then the caller prints them). */
export type FallbackResult = { path: string } | { tried: string[] };

/** Directories tried in order, the journal's own excluded: $TMPDIR, /tmp, /dev/shm, $HOME, the working directory. */
export function fallbackDirs(journalPath: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = path.resolve(path.dirname(journalPath));
  const dirs = [env.TMPDIR, os.tmpdir(), '/tmp', '/dev/shm', env.HOME, process.cwd()]
    .filter((d): d is string => Boolean(d))
    .map((d) => path.resolve(d));
  return [...new Set(dirs)].filter((d) => d !== own);
}

/** Writes `lines` to `<journal name>.unwritten.jsonl` in the first directory that takes all of it. */
export function writeFallback(journalPath: string, lines: Buffer, dirs: string[] = fallbackDirs(journalPath)): FallbackResult {
  const tried: string[] = [];
  for (const dir of dirs) {
    const base = path.join(dir, `${path.basename(journalPath, '.jsonl')}.unwritten`);
    for (let n = 1; n < 100; n++) {
      const p = `${base}${n === 1 ? '' : `-${n}`}.jsonl`;
      let fd: number | undefined;
      try {
        fd = fs.openSync(p, 'wx', 0o600);
        fs.fchmodSync(fd, 0o600);
        fs.writeFileSync(fd, lines);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        return { path: p };
      } catch (e) {
        if (fd !== undefined) {
          fs.closeSync(fd);
          fs.rmSync(p, { force: true });
        }
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        tried.push(`${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        break;
      }
    }
  }
  return { tried };
}
