/** `cutover verify JOURNAL [--signers FILE]`: the chain, the head anchor and its signature; exit 0 intact, 1 not. */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkIntegrity } from '../journal/integrity.js';
import { UsageError, type Io } from './usage.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { signers: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('name exactly one journal file');
  const file = positionals[0];
  if (!existsSync(file)) {
    io.err(`${file}: no such file; 'cutover sessions' lists the recorded journals\n`);
    return 1;
  }
  if (!statSync(file).isFile()) {
    io.err(`${file}: not a regular file, not a journal\n`);
    return 1;
  }
  if (values.signers !== undefined && !isFile(values.signers)) {
    io.err(
      `${values.signers}: no such allowed signers file (one 'PRINCIPAL KEYTYPE KEY' line per signer, as for git's gpg.ssh.allowedSignersFile)\n`,
    );
    return 1;
  }
  const r = await checkIntegrity(file, { ...(values.signers !== undefined ? { signers: values.signers } : {}), env: io.env });
  if (r.intact) {
    const torn = r.chain.ok && r.chain.torn ? ' (last line torn by a crash, ignored)' : '';
    io.out(`${file}: intact, ${r.lines} events${torn}\n`);
  } else for (const p of r.problems) io.out(`${p}\n`);
  for (const c of r.intact ? (r.checked ?? []) : []) io.out(`  ${c}\n`);
  for (const n of r.notes) io.out(`note: ${n}\n`);
  return r.intact ? 0 : 1;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
