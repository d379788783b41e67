/** Promise wrappers over callback `fs`, looked up at call time so tests can make a syscall fail. */
import fs from 'node:fs';
import { dirname } from 'node:path';

type Callback<T> = (err: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(start: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

/** open(2). */
export const open = (path: string, flags: string, mode?: number) => call<number>((cb) => fs.open(path, flags, mode, cb));

/** Writes all of `data` at file offset `at`, looping over short writes. */
export async function writeAll(fd: number, data: Buffer, at: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const n = await call<number>((cb) => fs.write(fd, data, done, data.length - done, at + done, cb));
    if (n === 0) throw new Error('write(2) wrote nothing');
    done += n;
  }
}

/** writeAll, synchronously, for exit paths. */
export function writeAllSync(fd: number, data: Buffer, at: number): void {
  for (let done = 0; done < data.length; ) {
    const n = fs.writeSync(fd, data, done, data.length - done, at + done);
    if (n === 0) throw new Error('write(2) wrote nothing');
    done += n;
  }
}

/** fdatasync(2): the data and the size reach the disk. */
export const datasync = (fd: number) => call<void>((cb) => fs.fdatasync(fd, (err) => cb(err, undefined)));
/** fsync(2). */
export const fsync = (fd: number) => call<void>((cb) => fs.fsync(fd, (err) => cb(err, undefined)));
/** close(2). */
export const close = (fd: number) => call<void>((cb) => fs.close(fd, (err) => cb(err ?? null, undefined)));
/** fchmod(2). */
export const fchmod = (fd: number, mode: number) => call<void>((cb) => fs.fchmod(fd, mode, (err) => cb(err, undefined)));
/** ftruncate(2). */
export const ftruncate = (fd: number, len: number) => call<void>((cb) => fs.ftruncate(fd, len, (err) => cb(err, undefined)));
/** Reads one byte at `at`. */
export const byteAt = (fd: number, at: number) =>
  call<number>((cb) => fs.read(fd, Buffer.alloc(1), 0, 1, at, (err, _n, buf) => cb(err, buf[0])));

/** fsyncs a directory, so a file just created in it survives a power loss; best effort where unsupported. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fsync(fd).catch((err: NodeJS.ErrnoException) => {
      // Some filesystems (FUSE, SMB) refuse fsync on directories; the file's own data is still synced.
      if (err.code !== 'EINVAL' && err.code !== 'ENOTSUP') throw err;
    });
  } finally {
    await close(fd);
  }
}

let tmpCounter = 0;

/** A temp file name beside `path`, unique in this process (`wx` refuses a leftover of another). */
export const tempBeside = (path: string): string => `${path}.tmp-${process.pid}-${++tmpCounter}`;

/**
 * Replaces `path` with `data` atomically, mode 0600: a temp file beside it, fsynced, renamed over it,
 * then the directory fsynced. A reader sees the old file or the new one, never half of one.
 */
export function replaceFileSync(path: string, data: string | Buffer): void {
  const tmp = tempBeside(path);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.fchmodSync(fd, 0o600); // open's mode passes through the umask
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDirSync(dirname(path));
}

/** syncDir, synchronously. */
export function syncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'ENOTSUP') throw err;
  } finally {
    fs.closeSync(fd);
  }
}
