/** Promise wrappers over callback `fs`, looked up at call time so tests can make a syscall fail. */
import fs from 'node:fs';

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
