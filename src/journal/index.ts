/** The journal module's public surface: append-only, hash-chained JSONL session journals. */
export { isDecision, DECISION_TYPES, type EventBase, type JournalEvent } from './event.js';
export { GENESIS_HASH, encodeLine, lineHash, parseLine, splitHash, type ParsedLine } from './line.js';
export { sessionsDir, newJournalPath, journalFileName, slugify } from './paths.js';
export { JournalWriter, type Appended, type Written, type WriterOptions } from './writer.js';
export {
  readJournal,
  streamJournal,
  type JournalEntry,
  type ReadProblem,
  type ReadResult,
  type ReadOptions,
  type StreamOptions,
} from './reader.js';
export { verifyChain, verifyText, verifyLines, type VerifyResult, type TamperKind } from './verify.js';
export { rawLinesOfText, type RawLine } from './scan.js';
export { writeFallback, fallbackDirs, type FallbackResult } from './fallback.js';
export { checkIntegrity, type Integrity, type IntegrityOptions } from './integrity.js';
export { headPath, sigPath, readHead, HEAD_FORMAT, SIGN_NAMESPACE, type Head } from './head.js';
export { checkAnchor, type AnchorCheck } from './anchor.js';
export { signJournal, type SignOptions, type SignResult } from './sign.js';
