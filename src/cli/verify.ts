/** `cutover verify JOURNAL`: walks the hash chain; exit 0 intact, 1 with the first bad line. */
import { existsSync, statSync } from 'node:fs';
import { verifyChain } from '../journal/verify.js';
import { UsageError, type Io } from './usage.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const files = argv.filter((a) => a !== '--');
  const flag = files.find((f) => f.startsWith('-'));
  if (flag) throw new UsageError(`unknown option '${flag}'`);
  if (files.length !== 1) throw new UsageError('name exactly one journal file');
  const file = files[0];
  if (!existsSync(file)) {
    io.err(`${file}: no such file; 'cutover sessions' lists the recorded journals\n`);
    return 1;
  }
  if (!statSync(file).isFile()) {
    io.err(`${file}: not a regular file, not a journal\n`);
    return 1;
  }
  const r = verifyChain(file);
  if (r.ok) {
    io.out(`${file}: intact, ${r.lines} events${r.torn ? ' (last line torn by a crash, ignored)' : ''}\n`);
    return 0;
  }
  io.out(`${file}:${r.line}: ${r.kind}: ${r.message}\n`);
  return 1;
}
