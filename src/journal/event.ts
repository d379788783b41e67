/** The least a journal needs from an event: a `domain/verb` type and a timestamp stamped by the caller. */
export type EventBase = { type: string; t: number };

/** A journal event as read back without knowing the caller's union: type, time and any JSON fields. */
export type JournalEvent = { type: string; t: number; [k: string]: unknown };

/** Event types that record what a person decided or the session's shape; losing one in a crash is not acceptable. */
export const DECISION_TYPES: ReadonlySet<string> = new Set([
  'session/started',
  'session/resumed',
  'session/ended',
  'gate/decided',
  'step/skipped',
  'note/added',
  // A script's mark answers "recorded" only once it is on disk; approvals are people's decisions.
  'mark/added',
  'approval/requested',
  'approval/decided',
  'judge/decided',
]);

/** Every rollback event is a decision, whatever verb is added to that domain later. */
const DECISION_PREFIX = 'rollback/';

/** Whether an event of this type is fsynced before its append resolves (else it is batched). */
export function isDecision(type: string): boolean {
  return DECISION_TYPES.has(type) || type.startsWith(DECISION_PREFIX);
}
