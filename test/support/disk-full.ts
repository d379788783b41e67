/**
 * Makes fs.write fail like a full disk (or an I/O error) while `failing(bytes)` says so, for the
 * journal's writes; the real write happens otherwise. Undo with vi.restoreAllMocks().
 */
import fs from 'node:fs';
import { vi } from 'vitest';

/** Fails each fs.write whose buffer `failing` picks with `code` (ENOSPC by default). */
export function failWrites(failing: (bytes: string) => boolean, code = 'ENOSPC'): void {
  const write = fs.write;
  const text = code === 'ENOSPC' ? 'no space left on device' : code === 'EIO' ? 'i/o error' : code;
  vi.spyOn(fs, 'write').mockImplementation(((...args: unknown[]) => {
    if (!failing(String(args[1]))) return (write as (...a: unknown[]) => void)(...args);
    const cb = args.at(-1) as (err: Error) => void;
    setImmediate(() => cb(Object.assign(new Error(`${code}: ${text}, write`), { code })));
  }) as typeof fs.write);
}
