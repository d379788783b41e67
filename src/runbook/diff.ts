/**
 * What changed between two runbooks, in the words an operator reviews a runbook in: phases,
 * steps, commands, gates, rollback levels, triggers, panels, host groups. Used by resume to say
 * why a journal and an edited file disagree. `before` is the journal's copy, which may hold
 * `[REDACTED]` where the file has a secret: a redacted string matches any value in its place.
 */
import { REDACTED } from '../drivers/exec/redact.js';
import { stepKind, type Phase, type Runbook, type Step } from './schema.js';

/** One change: where (a phase or rollback level, when it is inside one) and what. */
export interface Change {
  scope?: string;
  text: string;
}

/** Every change from `before` (the journal's copy) to `after` (the file), runbook order. */
export function diffRunbooks(before: Runbook, after: Runbook): Change[] {
  const out: Change[] = [];
  const top = (text: string) => out.push({ text });
  if (!same(before.name, after.name)) top('name changed');
  for (const k of ['prometheus', 'alertmanager', 'ssh', 'redact', 'notify'] as const) if (!same(before[k], after[k])) top(`${k} changed`);
  byId(keyed(before.hosts), keyed(after.hosts), (id, how) => top(`host group "${id}" ${how}`));
  byId(before.health ?? [], after.health ?? [], (id, how) => top(`panel "${id}" ${how}`));
  phases(before.phases, after.phases, out);
  const [lb, la] = [before.rollback?.levels ?? [], after.rollback?.levels ?? []];
  ids(lb, la, (id, how) => top(`rollback level "${id}" ${how}`));
  for (const b of lb) {
    const a = la.find((l) => l.id === b.id);
    if (!a) continue;
    const scope = `rollback level "${b.id}"`;
    if (!same(b.title, a.title) || !same(b.expected, a.expected)) out.push({ scope, text: 'title or expected time changed' });
    steps(b.steps, a.steps, scope, out);
  }
  byId(before.rollback?.triggers ?? [], after.rollback?.triggers ?? [], (id, how) => top(`trigger "${id}" ${how}`));
  return out;
}

/**
 * The changes as one line: grouped by scope (`phase "canary": step "shift" command changed, step
 * "verify" added; rollback level "full" removed`), at most `cap` of them, then "and N more".
 */
export function summarizeChanges(changes: Change[], cap = 6): string {
  const shown = changes.slice(0, cap);
  const groups: string[] = [];
  let last: string | undefined;
  for (const c of shown) {
    if (groups.length && c.scope !== undefined && c.scope === last) groups[groups.length - 1] += `, ${c.text}`;
    else groups.push(c.scope ? `${c.scope}: ${c.text}` : c.text);
    last = c.scope;
  }
  const more = changes.length - shown.length;
  return groups.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function phases(before: Phase[], after: Phase[], out: Change[]): void {
  ids(before, after, (id, how) => out.push({ text: `phase "${id}" ${how}` }));
  for (const b of before) {
    const a = after.find((p) => p.id === b.id);
    if (!a) continue;
    const scope = `phase "${b.id}"`;
    if (!same(b.title, a.title) || !same(b.planned, a.planned)) out.push({ scope, text: 'title or planned time changed' });
    if (!b.gate !== !a.gate) out.push({ scope, text: `gate ${a.gate ? 'added' : 'removed'}` });
    else if (!same(b.gate, a.gate)) out.push({ scope, text: 'gate changed' });
    steps(b.steps, a.steps, scope, out);
  }
}

function steps(before: Step[], after: Step[], scope: string, out: Change[]): void {
  ids(before, after, (id, how) => out.push({ scope, text: `step "${id}" ${how}` }));
  for (const b of before) {
    const a = after.find((s) => s.id === b.id);
    if (!a) continue;
    const what = stepChange(b, a);
    if (what) out.push({ scope, text: `step "${b.id}" ${what}` });
  }
}

/** How a step changed, or undefined: its action first (the command above all), then the rest. */
function stepChange(b: Step, a: Step): string | undefined {
  const [kb, ka] = [stepKind(b), stepKind(a)];
  if (kb !== ka) return `changed from ${kb} to ${ka}`;
  const fields: string[] = [];
  const [xb, xa] = [b[kb] as unknown, a[ka] as unknown];
  if (typeof xb === 'object' && xb && typeof xa === 'object' && xa) {
    const [ob, oa] = [xb as Record<string, unknown>, xa as Record<string, unknown>];
    for (const k of keysOf(ob, oa)) if (!same(ob[k], oa[k])) fields.push(k === 'on' ? 'hosts' : k);
  } else if (!same(xb, xa)) fields.push(kb);
  if (!same(b.title, a.title)) fields.push('title');
  if (!same(b.parallel, a.parallel)) fields.push('parallel');
  if (!fields.length) return undefined;
  return fields.length === 1 ? `${fields[0]} changed` : `${fields[0]} and ${fields.slice(1).join(', ')} changed`;
}

/** Added and removed ids (in that order), then "moved" for ids whose relative order changed. */
function ids(before: { id: string }[], after: { id: string }[], say: (id: string, how: string) => void): void {
  const [b, a] = [new Set(before.map((x) => x.id)), new Set(after.map((x) => x.id))];
  for (const x of after) if (!b.has(x.id)) say(x.id, 'added');
  for (const x of before) if (!a.has(x.id)) say(x.id, 'removed');
  const kept = (xs: { id: string }[], other: Set<string>) => xs.map((x) => x.id).filter((id) => other.has(id));
  const [ob, oa] = [kept(before, a), kept(after, b)];
  const moved = ob.find((id, i) => oa[i] !== id);
  if (moved !== undefined) say(moved, 'moved');
}

/** Like `ids`, then "changed" for each id present in both with different content. */
function byId<T extends { id: string }>(before: T[], after: T[], say: (id: string, how: string) => void): void {
  ids(before, after, say);
  for (const b of before) {
    const a = after.find((x) => x.id === b.id);
    if (a && !same(b, a)) say(b.id, 'changed');
  }
}

function keyed(r: Record<string, unknown> | undefined): { id: string; v: unknown }[] {
  return Object.entries(r ?? {}).map(([id, v]) => ({ id, v }));
}

function keysOf(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/**
 * Deep equality of plain JSON, `undefined` and absent alike; a string of `before` holding
 * `[REDACTED]` matches any string of `after` that has the rest of it around the secret.
 */
export function same(before: unknown, after: unknown): boolean {
  if (before === after) return true;
  if (typeof before === 'string' && typeof after === 'string') return before.includes(REDACTED) && redactedMatch(before, after);
  if (Array.isArray(before) || Array.isArray(after)) {
    if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return false;
    return before.every((x, i) => same(x, after[i]));
  }
  if (typeof before !== 'object' || typeof after !== 'object' || !before || !after) return false;
  const [ob, oa] = [before as Record<string, unknown>, after as Record<string, unknown>];
  return keysOf(ob, oa).every((k) => same(ob[k], oa[k]));
}

/** Glob matching with `[REDACTED]` as the only wildcard (one character or more): linear, no regex to backtrack. */
function redactedMatch(before: string, after: string): boolean {
  const parts = before.split(REDACTED);
  const head = parts[0];
  const tail = parts[parts.length - 1];
  if (!after.startsWith(head) || after.length < head.length + tail.length + parts.length - 1) return false;
  let at = head.length;
  // Each middle part at its leftmost place after a secret of at least one character leaves the most room for the rest.
  for (const mid of parts.slice(1, -1)) {
    const found = after.indexOf(mid, at + 1);
    if (found < 0) return false;
    at = found + mid.length;
  }
  return after.length - tail.length >= at + 1 && after.endsWith(tail);
}
