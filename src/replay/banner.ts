/**
 * The replay's warning line (pure), right under the status bar: a journal that is not intact
 * (journal/integrity.ts), and lines not taken as fact (malformed or impossible events, seq gaps),
 * each named `FILE:LINE` as `cutover verify` and the report name them (FILE without its folders:
 * the status bar shows the whole path, and the line is narrow). No line when all is well.
 */
import { basename } from 'node:path';
import { fit, type Line } from '../ui/rows.js';
import type { Color } from '../ui/theme.js';
import type { LineProblem } from './lines.js';

/** What the warning line needs to know. */
export interface BannerView {
  /** The journal, as the user named it. */
  path: string;
  /** The integrity verdict once known (undefined while the check runs). */
  integrity?: { intact: boolean; problems: readonly string[] };
  /** Why integrity could not be checked. */
  error?: string;
  /** Lines not taken as fact so far. */
  problems: readonly LineProblem[];
}

/** The warning line cut to `width`, or undefined when there is nothing to warn about. */
export function bannerLine(v: BannerView, width: number, color: boolean): Line | undefined {
  const c = (k: Color): Color => (color ? k : undefined);
  const out: Line = [];
  const file = basename(v.path);
  const broken = v.integrity && !v.integrity.intact;
  if (broken) {
    const [first, ...more] = v.integrity!.problems;
    const text =
      first === undefined
        ? 'the journal was changed after it was written'
        : first.startsWith(`${v.path}:`)
          ? file + first.slice(v.path.length)
          : first;
    out.push({ text: ' ⚠ NOT INTACT ', bold: true, inverse: true, color: c('red') });
    out.push({ text: ` ${text}${more.length ? ` (+${more.length} more)` : ''} `, color: c('red') });
  } else if (v.error !== undefined) {
    out.push({ text: ' ⚠ INTEGRITY NOT CHECKED ', bold: true, inverse: true, color: c('yellow') });
    out.push({ text: ` ${v.error} `, color: c('yellow') });
  }
  const n = v.problems.length;
  if (n) {
    const p = v.problems[0];
    const head = `${n} line${n === 1 ? '' : 's'} not taken as fact`;
    if (!out.length) out.push({ text: ` ⚠ ${head.toUpperCase()} `, bold: true, inverse: true, color: c('red') });
    else out.push({ text: ` · ${head}:`, bold: true, color: c('red') });
    out.push({ text: ` ${problemText(file, p)}${n > 1 ? ` (+${n - 1} more)` : ''}`, color: c('red') });
  }
  return out.length ? fit(out, width) : undefined;
}

/** `FILE:LINE: message; skipped` (or `; shown, flagged` for a line that was folded all the same): one line for stderr, the banner, the report. */
export function problemText(path: string, p: LineProblem): string {
  return `${path}:${p.line}: ${p.message}; ${p.folded ? 'shown, flagged' : 'skipped'}`;
}
