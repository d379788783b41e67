/**
 * The first two layers of a journal's integrity, checked in one streaming pass: the hash chain
 * inside the file, and the head anchor beside it (`JOURNAL.head`). The chain finds a line edited,
 * dropped, inserted or reordered; the head finds what the chain alone cannot: lines cut off the
 * end, and a chain recomputed after an edit. Synchronous, so resume can run it before it extends a journal.
 */
import { headPath, readHead, type Head } from './head.js';
import { finish, verifyChainSteps, type VerifyResult } from './verify.js';

/** What the chain and the head said. */
export interface AnchorCheck {
  chain: VerifyResult;
  /** Lines the chain holds (a torn last line excluded; up to the first bad line when broken). */
  lines: number;
  /** One line each, `FILE:LINE: …` where there is a line: why the journal is not intact. */
  problems: string[];
  /** One line each: what could not be checked. */
  notes: string[];
  /** One line each: what was checked and held. */
  checked: string[];
  /** The head as read (the signature is over `bytes`), when there is a readable one. */
  head?: { head: Head; bytes: Buffer };
}

/** Walks the journal at `path` once, checking its chain and its head anchor. */
export function checkAnchor(path: string): AnchorCheck {
  return finish(checkAnchorSteps(path));
}

/** The same check in steps: it pauses every few thousand lines (see verifyChainSteps). */
export function* checkAnchorSteps(path: string): Generator<void, AnchorCheck> {
  const rh = readHead(path);
  const want = 'head' in rh ? rh.head.seq : 0;
  let first: string | undefined;
  let atWant: string | undefined;
  // Only two hashes are kept, whatever the journal's size: the walk streams.
  const chain = yield* verifyChainSteps(path, (c) => {
    if (c.line === 1) first = c.hash;
    if (c.seq === want) atWant = c.hash;
  });
  const lines = chain.ok ? chain.lines : chain.line - 1;
  const out: AnchorCheck = { chain, lines, problems: [], notes: [], checked: [] };
  if (chain.ok)
    out.checked.push(`chain: ${lines} line${lines === 1 ? '' : 's'} chained${chain.torn ? ' (last line torn by a crash, ignored)' : ''}`);
  else out.problems.push(`${path}:${chain.line}: ${chain.kind}: ${chain.message}`);
  if ('absent' in rh) {
    out.notes.push(
      `${headPath(path)}: no head anchor (journal written before anchors, or the sidecar was removed): lines cut off the end or a recomputed chain would go unnoticed`,
    );
    return out;
  }
  if ('problem' in rh) {
    out.problems.push(rh.problem);
    return out;
  }
  out.head = rh;
  const h = rh.head;
  const said = `head says seq ${h.seq}, hash ${h.hash}`;
  if (first !== undefined && first !== h.first)
    out.problems.push(
      `${path}:1: head mismatch at line 1: the head was written for a first line with hash ${h.first}, this one has ${first} (line 1 was changed and the chain recomputed, or the head belongs to another journal)`,
    );
  else if (chain.ok && lines === 0) out.problems.push(`${path}: truncated: no line left (${said})`);
  else if (chain.ok && lines < h.seq) out.problems.push(`${path}:${lines}: truncated after line ${lines} (${said})`);
  else if (atWant !== undefined && atWant !== h.hash)
    out.problems.push(
      `${path}:${h.seq}: head mismatch at line ${h.seq}: the head says hash ${h.hash}, the chain gives ${atWant} (a line up to ${h.seq} was changed and the chain recomputed after it)`,
    );
  else if (atWant !== undefined) {
    out.checked.push(`head: line ${h.seq} has the hash the head names${h.closed ? ' (written when the journal was closed)' : ''}`);
    if (lines > h.seq) {
      const span = lines === h.seq + 1 ? `line ${lines}` : `lines ${h.seq + 1}-${lines}`;
      if (h.closed)
        out.problems.push(`${path}:${h.seq + 1}: ${span} appended after the journal was closed (the head says it ended at seq ${h.seq})`);
      else
        out.notes.push(
          `${path}:${h.seq + 1}: ${span} come after the last anchored line (seq ${h.seq}): the chain holds them, nothing outside the file vouches for them (written after the last decision, before a crash; or appended from a fallback file)`,
        );
    }
  }
  return out;
}
