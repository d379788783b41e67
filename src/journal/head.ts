/**
 * The head anchor: a small sidecar file `JOURNAL.head` (0600) that records the journal's last
 * fsynced line (seq and hash) outside the journal itself, so that a dropped tail or a chain
 * recomputed after an edit no longer goes unnoticed. `JOURNAL.head.sig` is an OpenSSH signature of
 * the head's exact bytes (`ssh-keygen -Y sign -n cutover-journal`).
 */
import fs from 'node:fs';

/** The `format` field of every head; a head with another format is not one cutover wrote. */
export const HEAD_FORMAT = 'cutover-journal-head/1';

/** The OpenSSH signature namespace for journal heads: a signature made for anything else does not verify. */
export const SIGN_NAMESPACE = 'cutover-journal';

/** Longest head file read (a real one is about 200 bytes). */
const MAX_HEAD_BYTES = 4096;

const HASH_RE = /^[0-9a-f]{32}$/;

/** What a head says. */
export interface Head {
  format: typeof HEAD_FORMAT;
  /** Hash of the journal's first line: ties the head to one journal (and so to one session). */
  first: string;
  /** The session id from the first line, for people reading the file (the `first` hash is what is checked). */
  session?: string;
  /** Seq of the last line known to be on disk when the head was written. */
  seq: number;
  /** That line's hash. */
  hash: string;
  /** Written when the journal was closed with every event in it: no line may follow `seq`. */
  closed: boolean;
}

/** The head's path: the journal's file name plus `.head`, in the same directory. */
export const headPath = (journal: string): string => `${journal}.head`;

/** The signature's path: `JOURNAL.head.sig`. */
export const sigPath = (journal: string): string => `${headPath(journal)}.sig`;

/** The head's exact bytes (the signature is over these): one JSON line, fields in a fixed order. */
export function encodeHead(h: Omit<Head, 'format'>): string {
  const head: Head = {
    format: HEAD_FORMAT,
    first: h.first,
    ...(h.session ? { session: h.session } : {}),
    seq: h.seq,
    hash: h.hash,
    closed: h.closed,
  };
  return `${JSON.stringify(head)}\n`;
}

/** Parses a head's text; a string says why it is not a head cutover wrote. */
export function parseHead(text: string): Head | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const h = v as Record<string, unknown>;
  if (h.format !== HEAD_FORMAT) return `format is ${JSON.stringify(h.format)}, not "${HEAD_FORMAT}"`;
  if (typeof h.first !== 'string' || !HASH_RE.test(h.first)) return 'first is not 32 hex characters';
  if (typeof h.seq !== 'number' || !Number.isSafeInteger(h.seq) || h.seq < 1) return 'seq is not a positive integer';
  if (typeof h.hash !== 'string' || !HASH_RE.test(h.hash)) return 'hash is not 32 hex characters';
  if (typeof h.closed !== 'boolean') return 'closed is not true or false';
  if (h.session !== undefined && typeof h.session !== 'string') return 'session is not a string';
  return h as unknown as Head;
}

/** A head as read from disk: absent, unreadable (with why), or parsed with its exact bytes. */
export type ReadHead = { absent: true } | { problem: string } | { head: Head; bytes: Buffer };

/** Reads the head beside `journal`; never throws. */
export function readHead(journal: string): ReadHead {
  const p = headPath(journal);
  let bytes: Buffer;
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return { problem: `${p}: not a regular file, not a head anchor` };
    if (st.size > MAX_HEAD_BYTES) return { problem: `${p}: ${st.size} bytes, too long for a head anchor (cutover writes about 200)` };
    bytes = fs.readFileSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { absent: true };
    return { problem: `${p}: cannot read the head anchor (${code ?? (e as Error).message})` };
  }
  const head = parseHead(bytes.toString('utf8'));
  if (typeof head === 'string') return { problem: `${p}: not a head anchor cutover wrote (${head})` };
  return { head, bytes };
}
