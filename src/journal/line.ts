/** One journal line: `{"seq":N,...event,"hash":"…"}`, hashed over the exact text written, never re-stringified. */
import { createHash } from 'node:crypto';
import type { EventBase, JournalEvent } from './event.js';

/** The hash the first line chains from. */
export const GENESIS_HASH = '0'.repeat(32);

const HASH_RE = /^[0-9a-f]{32}$/;
// Anchored at the end: inside JSON strings quotes are escaped, so this can only be the outer object's last member.
const SUFFIX_RE = /,"hash":"([0-9a-f]{32})"\}$/;

/** First 32 hex chars of sha256(prevHash + body). */
export function lineHash(prevHash: string, body: string): string {
  return createHash('sha256')
    .update(prevHash + body)
    .digest('hex')
    .slice(0, 32);
}

/** Serializes an event as line `seq` chained from `prevHash`; any `seq` or `hash` the event carries is dropped. */
export function encodeLine(seq: number, prevHash: string, event: EventBase & { [field: string]: unknown }): { text: string; hash: string } {
  const { seq: _seq, hash: _hash, ...fields } = event as EventBase & { seq?: unknown; hash?: unknown };
  // U+2028/2029 are legal raw in JSON but count as line breaks in some tools (Python's splitlines, editors).
  const body = JSON.stringify({ seq, ...fields }).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const hash = lineHash(prevHash, body);
  return { text: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** Recovers the hashed body and the recorded hash from a line's raw text, or undefined if hash is not the last field. */
export function splitHash(text: string): { body: string; hash: string } | undefined {
  const m = SUFFIX_RE.exec(text);
  return m ? { body: `${text.slice(0, m.index)}}`, hash: m[1] } : undefined;
}

/** A parsed line: the entry's parts, or why the line is not one. */
export type ParsedLine<E = JournalEvent> = { ok: true; seq: number; hash: string; event: E } | { ok: false; message: string };

/** Parses one line's text (without its newline) and checks it has the fields every journal line must have. */
export function parseLine<E extends EventBase = JournalEvent>(text: string): ParsedLine<E> {
  if (text.trim() === '') return { ok: false, message: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'not a JSON object' };
  const { seq, hash, ...event } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    return { ok: false, message: 'seq missing or not a positive integer' };
  if (typeof hash !== 'string' || !HASH_RE.test(hash)) return { ok: false, message: 'hash missing or not 32 hex characters' };
  if (typeof event.type !== 'string') return { ok: false, message: 'type missing or not a string' };
  if (typeof event.t !== 'number') return { ok: false, message: 't missing or not a number' };
  return { ok: true, seq, hash, event: event as E };
}
