/** `cutover validate FILE...`: every problem as `FILE:LINE:COL: message`; exit 0 valid, 1 not. */
import { loadRunbookFile } from '../runbook/load.js';
import { formatProblem } from '../runbook/problem.js';
import { UsageError, type Io } from './usage.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const files = argv.filter((a) => a !== '--');
  const flag = files.find((f) => f.startsWith('-') && f !== '-');
  if (flag) throw new UsageError(`unknown option '${flag}'`);
  if (files.length === 0) throw new UsageError('name at least one runbook file');
  let bad = 0;
  for (const file of files) {
    const r = loadRunbookFile(file, io.env);
    for (const p of r.problems) io.out(`${formatProblem(p)}\n`);
    if (r.problems.length) bad++;
    else if (files.length > 1) io.out(`${file}: ok\n`);
  }
  if (bad === 0 && files.length === 1) io.out(`${files[0]}: ok\n`);
  return bad ? 1 : 0;
}
