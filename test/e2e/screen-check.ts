/**
 * Reading a tmux capture of the console: where an overlay is, and every way its rectangle (or
 * the screen around it) differs from what it should be. Used by the tmux tests of overlays and sizes.
 */
import { execFileSync } from 'node:child_process';
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A captured row as terminal cells: tmux writes a wide (CJK) character once for its two columns,
 * so a row is indexed by column through this, never by string index: the character, then '' for its second column.
 */
export function cells(row: string): string[] {
  const out: string[] = [];
  for (const { segment } of graphemes.segment(row)) {
    out.push(segment);
    for (let i = 1; i < stringWidth(segment); i++) out.push('');
  }
  return out;
}

/** `text` padded with spaces to `n` columns. */
function padCols(text: string, n: number): string {
  return text + ' '.repeat(Math.max(0, n - stringWidth(text)));
}

/** A tmux server on its own socket, with one session. */
export function tmuxOn(tmux: string, socket: string) {
  const t = (...args: string[]) => execFileSync(tmux, ['-L', socket, ...args], { encoding: 'utf8' });
  return {
    t,
    /** The visible screen, one string per row, exactly as many rows as the window has. */
    rows: (target = 's') => t('capture-pane', '-p', '-t', target).replace(/\n$/, '').split('\n'),
    keys: (...keys: string[]) => void t('send-keys', '-t', 's', ...keys),
    /** Literal text, sent in one write. */
    text: (s: string) => void t('send-keys', '-t', 's', '-l', s),
    resize: (columns: number, rows: number) => void t('resize-window', '-t', 's', '-x', String(columns), '-y', String(rows)),
    kill: () => {
      try {
        t('kill-server');
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Numbers change while a screen is looked at (the clock, running durations, which are right-aligned
 * and change width: "321ms" then "10s"): compare without them and without runs of spaces.
 */
export function normalize(row: string): string {
  return row.replace(/\d+(?:\.\d+)?(?:ms|h|m|s)?/g, '#').replace(/ +/g, ' ');
}

/** An overlay found on screen: its rectangle, and its content rows (between the borders and the padding). */
export interface Found {
  top: number;
  left: number;
  width: number;
  height: number;
  /** The inner text of every row between the top and bottom borders. */
  content: string[];
  /** The bottom border's scroll position, when the overlay scrolls: first and last body line shown, and how many there are. */
  position?: { first: number; last: number; total: number };
}

/** Finds the overlay: a top border of ═ only between ╔ and ╗ (a pane's top border has its title in it). */
export function findOverlay(rows: string[]): Found | undefined {
  const top = rows.findIndex((r) => /╔═+╗/.test(r));
  if (top < 0) return undefined;
  const m = /╔═+╗/.exec(rows[top])!;
  const left = stringWidth(rows[top].slice(0, m.index));
  const width = m[0].length;
  let bottom = top + 1;
  while (bottom < rows.length && cells(rows[bottom])[left] !== '╚') bottom++;
  if (bottom >= rows.length) return undefined;
  const pos = / (\d+)-(\d+) of (\d+) /.exec(
    cells(rows[bottom])
      .slice(left, left + width)
      .join(''),
  );
  return {
    top,
    left,
    width,
    height: bottom - top + 1,
    content: rows.slice(top + 1, bottom).map((r) =>
      cells(r)
        .slice(left + 2, left + width - 2)
        .join(''),
    ),
    ...(pos ? { position: { first: Number(pos[1]), last: Number(pos[2]), total: Number(pos[3]) } } : {}),
  };
}

/**
 * What an overlay's content rows should be: `head` rows from the top (title, blank line, ...),
 * `tail` rows at the bottom (hint); a row is exact text (padded with spaces to the inner width),
 * a pattern for its text, or null for any text. Rows between them are checked for their frame only.
 * `body`, when given, is the whole scrollable body: the rows shown must be the window the bottom
 * border names.
 */
export interface Expected {
  head: (string | RegExp | null)[];
  tail: (string | RegExp | null)[];
  body?: string[];
}

/**
 * Every difference between the screen and the console with this overlay over `base` (the same
 * screen just before it opened): the rectangle's borders, padding and content, its place
 * (centred, between the status bar and the footer), and every cell outside it. Empty when all is right.
 */
export function overlayProblems(rows: string[], base: string[], columns: number, want: Expected): string[] {
  const o = findOverlay(rows);
  if (!o) return ['no overlay on screen'];
  const p: string[] = [];
  const inner = o.width - 4;
  if (o.left !== Math.floor((columns - o.width) / 2)) p.push(`left ${o.left}, not centred for width ${o.width}`);
  if (o.top !== Math.floor((rows.length - o.height) / 2)) p.push(`top ${o.top}, not centred for height ${o.height}`);
  if (o.top < 1 || o.top + o.height > rows.length - 1) p.push(`rows ${o.top}-${o.top + o.height - 1} cover the status bar or footer`);
  rows.forEach((r, y) => {
    const row = cells(r);
    const inside = y >= o.top && y < o.top + o.height;
    const seg = row.slice(o.left, o.left + o.width).join('');
    if (y === o.top && seg !== `╔${'═'.repeat(o.width - 2)}╗`) p.push(`row ${y}: top border ${JSON.stringify(seg)}`);
    if (y === o.top + o.height - 1 && !/^╚══(?: \d+-\d+ of \d+ (?:· [^═]+ )?)?═*╝$/.test(seg))
      p.push(`row ${y}: bottom border ${JSON.stringify(seg)}`);
    if (inside && y > o.top && y < o.top + o.height - 1 && !(seg.startsWith('║ ') && seg.endsWith(' ║') && stringWidth(seg) === o.width))
      p.push(`row ${y}: sides ${JSON.stringify(seg)}`);
    // Around the overlay, and on the rows it covers left and right of it: the panes as they were.
    const outside = inside ? [...row.slice(0, o.left), '|', ...row.slice(o.left + o.width)].join('') : r;
    const before = cells(base[y] ?? '');
    const was = inside ? [...before.slice(0, o.left), '|', ...before.slice(o.left + o.width)].join('') : (base[y] ?? '');
    if (!sameOutside(outside, was, inside)) p.push(`row ${y}: outside changed ${JSON.stringify(outside)} (was ${JSON.stringify(was)})`);
  });
  const check = (i: number, w: string | RegExp | null | undefined): void => {
    const got = o.content[i];
    if (got === undefined || w === undefined) {
      p.push(`content row ${i} missing`);
      return;
    }
    const text = got.trimEnd();
    // Whatever the text, it is followed by spaces only: nothing of the panes shows through.
    if (stringWidth(got) !== inner) p.push(`content row ${i} is ${stringWidth(got)} wide, not ${inner}`);
    if (typeof w === 'string' && got !== padCols(w, inner)) p.push(`content row ${i}: ${JSON.stringify(text)}, want ${JSON.stringify(w)}`);
    if (w instanceof RegExp && !w.test(text)) p.push(`content row ${i}: ${JSON.stringify(text)} does not match ${w}`);
  };
  want.head.forEach((w, i) => {
    check(i, w);
  });
  want.tail.forEach((w, i) => {
    check(o.content.length - want.tail.length + i, w);
  });
  if (want.body) {
    const shown = o.content.slice(want.head.length, o.content.length - want.tail.length);
    const first = o.position ? o.position.first - 1 : 0;
    const window = want.body.slice(first, first + shown.length);
    if (!o.position && want.body.length !== shown.length)
      p.push(`body shows ${shown.length} rows of ${want.body.length}, without a position`);
    if (o.position && o.position.total !== want.body.length) p.push(`position says ${o.position.total} lines, want ${want.body.length}`);
    shown.forEach((s, i) => {
      if (s !== padCols(window[i] ?? '', inner))
        p.push(`body row ${first + i}: ${JSON.stringify(s.trimEnd())}, want ${JSON.stringify(window[i])}`);
    });
  }
  return p;
}

/**
 * The panes around an overlay as they were. Right of a covered row, a pane's line may have shifted
 * while the overlay was open (a clock under the overlay grew a digit: `9s` to `10s`), so there the
 * end of one side may stand for the other; left of it and on uncovered rows, only numbers may differ.
 */
function sameOutside(outside: string, was: string, covered: boolean): boolean {
  const a = normalize(outside).trimEnd();
  const b = normalize(was).trimEnd();
  if (a === b) return true;
  if (!covered) return false;
  const [al, ar = ''] = a.split('|');
  const [bl, br = ''] = b.split('|');
  // The right part keeps the pane's own border and what stood next to it, whichever moved.
  return al === bl && ar.length > 0 && br.length > 0 && (ar.endsWith(br.slice(2)) || br.endsWith(ar.slice(2)));
}
