/** Checks a journal's hash chain on its raw text and says which line was tampered with first, and how. */
import { lineHash, parseLine, splitHash, GENESIS_HASH } from './line.js';
import { MAX_LINE_BYTES, type ReaderLine } from './line-reader.js';
import { rawLinesOfText, rawLinesSync } from './scan.js';

/** How a chain was broken: a line changed, lines missing, a line that does not belong, lines out of order, or garbage. */
export type TamperKind = 'edited' | 'dropped' | 'inserted' | 'reordered' | 'corrupt';

/** The verdict: every line chains (a torn last line is a crash, not tampering), or the first bad line. */
export type VerifyResult = { ok: true; lines: number; torn: boolean } | { ok: false; line: number; kind: TamperKind; message: string };

/** A line that chains, as `verifyLines` hands it to its visitor. */
export interface Checked {
  line: number;
  seq: number;
  hash: string;
  body: string;
}

/** How the encoder starts every line: the fast path reads seq from here instead of parsing the whole line. */
const HEAD_RE = /^\{"seq":([1-9]\d{0,15}),"type":"/;

/** A line's chain parts, 'torn' for a crash-cut tail, or why it is corrupt. */
function check(raw: ReaderLine): Checked | 'torn' | string {
  // No real line comes near the limit (a torn one is a prefix of a real one), so this one was put there.
  if (raw.tooLong)
    return `line ${raw.line} is longer than the limit (${mb(MAX_LINE_BYTES)}): ${mb(raw.end - raw.start - (raw.terminated ? 1 : 0))}, which cutover never writes`;
  // A line as the encoder writes it is checked without parsing it: the chain is over its exact
  // text, and a million parses are garbage a console checking on its own thread must not make.
  // (Whether each event makes sense is replay's and report's judgment, line by line.) Anything
  // else is parsed, so garbage is named as such.
  const head = raw.terminated ? HEAD_RE.exec(raw.text) : null;
  const fast = head ? splitHash(raw.text) : undefined;
  if (head && fast) return { line: raw.line, seq: Number(head[1]), hash: fast.hash, body: fast.body };
  const p = parseLine(raw.text);
  if (!p.ok) return raw.terminated ? p.message : 'torn';
  const split = splitHash(raw.text);
  if (!split) return 'hash is not the last field, so this line was not written by cutover';
  return { line: raw.line, seq: p.seq, hash: split.hash, body: split.body };
}

/** Verifies the journal file at `path`. */
export function verifyChain(path: string, visit?: (c: Checked) => void): VerifyResult {
  return finish(verifyChainSteps(path, visit));
}

/** The same walk in steps: it pauses (yields) every `every` lines, so a caller on a console's thread can let keys through. */
export function verifyChainSteps(path: string, visit?: (c: Checked) => void, every = 2000): Generator<void, VerifyResult> {
  return verifyLinesSteps(rawLinesSync(path), visit, every);
}

/** Runs a walk in steps to its end, without pausing. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Verifies journal text held in memory. */
export function verifyText(text: string): VerifyResult {
  return verifyLines(rawLinesOfText(text));
}

const mb = (bytes: number) => `${Number.isInteger(bytes / 2 ** 20) ? bytes / 2 ** 20 : (bytes / 2 ** 20).toFixed(1)} MB`;

/** Verifies raw lines in file order; stops at the first bad line. `visit` sees each line that chains, in order. */
export function verifyLines(lines: Iterable<ReaderLine>, visit?: (c: Checked) => void): VerifyResult {
  return finish(verifyLinesSteps(lines, visit, Number.POSITIVE_INFINITY));
}

function* verifyLinesSteps(
  lines: Iterable<ReaderLine>,
  visit: ((c: Checked) => void) | undefined,
  every: number,
): Generator<void, VerifyResult> {
  const it = lines[Symbol.iterator]();
  const rest: Iterable<ReaderLine> = { [Symbol.iterator]: () => it };
  let prev = GENESIS_HASH;
  let prevPrev: string | undefined;
  let count = 0;
  try {
    for (const raw of rest) {
      const c = check(raw);
      if (c === 'torn') return { ok: true, lines: count, torn: true };
      if (typeof c === 'string') return { ok: false, line: raw.line, kind: 'corrupt', message: c };
      if (c.seq !== count + 1 || lineHash(prev, c.body) !== c.hash) return diagnose(c, count + 1, prev, prevPrev, rest);
      [prevPrev, prev] = [prev, c.hash];
      count++;
      visit?.(c);
      if (count % every === 0) yield;
    }
  } finally {
    it.return?.();
  }
  return { ok: true, lines: count, torn: false };
}

/** Classifies the first bad line `c`, looking ahead in `later` for the line that should have come here. */
function diagnose(c: Checked, expected: number, prev: string, prevPrev: string | undefined, later: Iterable<ReaderLine>): VerifyResult {
  const bad = (kind: TamperKind, message: string, line = c.line): VerifyResult => ({ ok: false, line, kind, message });
  // This line chains from the one before the previous: the previous line was slipped in (with a well-forged hash).
  if (prevPrev !== undefined && lineHash(prevPrev, c.body) === c.hash)
    return bad('inserted', `this line does not belong to the chain: line ${c.line} continues from line ${c.line - 2}`, c.line - 1);
  let successor: number | undefined; // a later line that chains from `prev`: the one that belongs here
  let after: number | undefined; // a later line this one chains from: it was moved up
  let copyOf: number | undefined; // a later line with this very hash: this one is a duplicate
  for (const raw of later) {
    const l = check(raw);
    if (typeof l !== 'object') continue;
    if (successor === undefined && lineHash(prev, l.body) === l.hash) successor = l.line;
    if (after === undefined && lineHash(l.hash, c.body) === c.hash) after = l.line;
    if (copyOf === undefined && l.hash === c.hash) copyOf = l.line;
    if (after !== undefined && successor !== undefined && copyOf !== undefined) break;
  }
  if (copyOf !== undefined) return bad('inserted', `seq ${c.seq} appears again at line ${copyOf}; one copy does not belong`);
  if (after !== undefined) return bad('reordered', `seq ${c.seq} is out of order: it belongs after line ${after}`);
  if (successor !== undefined) {
    const span = successor === c.line + 1 ? `line ${c.line}` : `lines ${c.line}-${successor - 1}`;
    return bad(
      'inserted',
      `${span} (seq ${c.seq}) do${span.startsWith('lines') ? '' : 'es'} not belong to the chain: line ${successor} continues from line ${c.line - 1}`,
    );
  }
  if (c.seq > expected) {
    const missing = c.seq - 1 > expected ? `seq ${expected}-${c.seq - 1} are` : `seq ${expected} is`;
    return bad('dropped', `${missing} missing before this line`);
  }
  if (c.seq === expected) return bad('edited', `seq ${c.seq} does not match its hash: the line was changed after it was written`);
  return bad('inserted', `seq ${c.seq} comes again after seq ${expected - 1}: this line does not belong to the chain`);
}
