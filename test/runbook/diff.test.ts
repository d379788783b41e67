// What changed between the journal's runbook and the file: table-driven, each edit an operator
// might make mid-deploy, said in the words of the runbook; redacted strings match their secret.
import { describe, expect, it } from 'vitest';
import { diffRunbooks, same, summarizeChanges } from '../../src/runbook/diff.js';
import { loadRunbookText, type Runbook } from '../../src/runbook/index.js';

const BASE = `name: checkout
prometheus: { url: "http://prom:9090" }
hosts: { web: [web1, web2], lb: [lb1] }
health:
  - { id: errors, title: Errors, query: errors_ratio, unit: ratio, crit: "> 0.05" }
phases:
  - id: pre
    title: Pre
    steps:
      - { id: backup, title: Backup, manual: true }
  - id: canary
    title: Canary
    steps:
      - { id: shift, title: Shift, run: { on: lb, command: "lbctl weight blue 10" } }
      - { id: soak, title: Soak, wait: 2m }
    gate: { title: Go? }
rollback:
  levels:
    - { id: traffic, title: Traffic, steps: [{ id: back, title: Back, run: { on: lb, command: "lbctl weight blue 0" } }] }
    - { id: full, title: Full, steps: [{ id: undo, title: Undo, local: { command: [deployctl, undo] } }] }
  triggers:
    - { id: high, when: "errors > 0.1", severity: critical, recommend: traffic }
`;

function load(text: string): Runbook {
  const r = loadRunbookText('rb.yaml', text, {});
  if (!r.runbook) throw new Error(r.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return r.runbook;
}
const base = load(BASE);
const diff = (edit: (s: string) => string) => summarizeChanges(diffRunbooks(base, load(edit(BASE))));

describe('diffRunbooks', () => {
  it.each([
    ['nothing', (s: string) => `# a comment\n${s}`, ''],
    ['a command', (s: string) => s.replace('weight blue 10', 'weight blue 20'), 'phase "canary": step "shift" command changed'],
    [
      'the hosts of a step',
      (s: string) => s.replace('{ on: lb, command: "lbctl weight blue 10"', '{ on: web, command: "lbctl weight blue 10"'),
      'phase "canary": step "shift" hosts changed',
    ],
    ['a step kind', (s: string) => s.replace('wait: 2m', 'manual: true'), 'phase "canary": step "soak" changed from wait to manual'],
    ['a wait', (s: string) => s.replace('wait: 2m', 'wait: 3m'), 'phase "canary": step "soak" wait changed'],
    ['a title', (s: string) => s.replace('title: Soak,', 'title: Soak longer,'), 'phase "canary": step "soak" title changed'],
    [
      'a step added and one removed',
      (s: string) => s.replace('{ id: soak, title: Soak, wait: 2m }', '{ id: bake, title: Bake, wait: 2m }'),
      'phase "canary": step "bake" added, step "soak" removed',
    ],
    [
      'steps reordered',
      (s: string) => s.replace(/( {6}- \{ id: shift.*\n)( {6}- \{ id: soak.*\n)/, '$2$1'),
      'phase "canary": step "shift" moved',
    ],
    ['a gate removed', (s: string) => s.replace('    gate: { title: Go? }\n', ''), 'phase "canary": gate removed'],
    ['a gate reworded', (s: string) => s.replace('Go?', 'Go on?'), 'phase "canary": gate changed'],
    ['a phase removed', (s: string) => s.replace(/ {2}- id: pre\n[\s\S]*?(?= {2}- id: canary)/, ''), 'phase "pre" removed'],
    ['a rollback level removed', (s: string) => s.replace(/ {4}- \{ id: full.*\n/, ''), 'rollback level "full" removed'],
    [
      'a rollback command',
      (s: string) => s.replace('[deployctl, undo]', '[deployctl, undo, --force]'),
      'rollback level "full": step "undo" command changed',
    ],
    ['a trigger', (s: string) => s.replace('"errors > 0.1"', '"errors > 0.2"'), 'trigger "high" changed'],
    ['a panel threshold', (s: string) => s.replace('"> 0.05"', '"> 0.06"'), 'panel "errors" changed'],
    ['a host group', (s: string) => s.replace('[web1, web2]', '[web1, web2, web3]'), 'host group "web" changed'],
  ])('%s', (_what, edit, said) => {
    expect(diff(edit)).toBe(said);
  });

  it('caps the line: the first changes, then how many more', () => {
    const edit = (s: string) =>
      s
        .replace('weight blue 10', 'weight blue 20')
        .replace('wait: 2m', 'wait: 3m')
        .replace('Go?', 'Go on?')
        .replace('[deployctl, undo]', '[deployctl, undo, -f]')
        .replace('"errors > 0.1"', '"errors > 0.2"')
        .replace('"> 0.05"', '"> 0.06"')
        .replace('[web1, web2]', '[web1]')
        .replace('name: checkout', 'name: checkout v2');
    const changes = diffRunbooks(base, load(edit(BASE)));
    expect(changes).toHaveLength(8);
    expect(summarizeChanges(changes, 3)).toBe('name changed; host group "web" changed; panel "errors" changed; and 5 more');
  });
});

describe('same: the journal copy may be redacted', () => {
  it.each([
    ['curl -H "token: [REDACTED]" x', 'curl -H "token: s3cr3t" x', true],
    ['[REDACTED]', 'anything', true],
    ['a [REDACTED] b [REDACTED] c', 'a 1 b 2 c', true],
    ['a [REDACTED] b', 'a 1 c', false],
    ['token=[REDACTED]', 'token=', false],
    ['token=s3cr3t', 'token=other', false],
    ['x', 'y', false],
  ])('%s vs %s', (before, after, equal) => {
    expect(same(before, after)).toBe(equal);
  });

  it('a redacted value in the copy is not a change', () => {
    const secret = load(BASE.replace('weight blue 10', 'weight blue 10 --token s3cr3t'));
    const copy = JSON.parse(JSON.stringify(secret).replace('s3cr3t', '[REDACTED]')) as Runbook;
    expect(diffRunbooks(copy, secret)).toEqual([]);
    // Only the journal's side is a pattern: the file saying [REDACTED] is a change.
    expect(diffRunbooks(secret, copy)).toEqual([{ scope: 'phase "canary"', text: 'step "shift" command changed' }]);
  });
});
