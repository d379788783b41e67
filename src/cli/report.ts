/**
 * `cutover report JOURNAL [--format md|json]`: post-mortem material from the journal alone. Exit 0:
 * the report of an intact journal, every line taken; 2: the report is printed, but the journal is
 * not intact or some lines were not taken as fact (its top says which: a script that files the
 * report can tell, and still has it); 1: no report (no such file, not a cutover journal).
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkIntegrity } from '../journal/integrity.js';
import { problemText } from '../replay/banner.js';
import { buildReport } from '../report/build.js';
import { collect } from '../report/collect.js';
import { renderMarkdown } from '../report/markdown.js';
import { UsageError, type Io } from './usage.js';

/** Parses the options and prints the report of one journal. */
export async function main(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string', default: 'md' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one journal file');
  const format = values.format === 'markdown' ? 'md' : values.format;
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format ${values.format}: use md or json`);
  const path = positionals[0];
  // Only regular files: a FIFO would block the read forever.
  if (!existsSync(path) || !statSync(path).isFile()) {
    io.err(
      `cutover report: ${path}: ${existsSync(path) ? 'not a regular file, not a journal' : "no such file; 'cutover sessions' lists the recorded journals"}\n`,
    );
    return 1;
  }
  const c = await collect(path);
  const lines = () => {
    for (const p of c.problems) io.err(`${problemText(path, p)}\n`);
  };
  if (!c.started) {
    lines();
    io.err(`cutover report: ${path}: not a cutover journal (no valid session/started event)\n`);
    return 1;
  }
  // As at the report's top: the verdict on the whole file, then each line not taken as fact.
  const integrity = await checkIntegrity(path);
  if (!integrity.intact) {
    io.err(`cutover report: ${path}: NOT INTACT ('cutover verify ${path}' tells more)\n`);
    for (const p of integrity.problems) io.err(`${p}\n`);
  }
  lines();
  const report = buildReport(path, c, integrity);
  io.out(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
  return integrity.intact && !c.problems.length ? 0 : 2;
}
