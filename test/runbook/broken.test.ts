// The broken-runbook corpus: each file holds one mistake and says, on its first line, the
// exact `LINE:COL: message` that `cutover validate` must print for it. A file with several
// mistakes has one `# expect:` line for each, in the order validate prints them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadRunbookFile } from '../../src/runbook/index.js';

const dir = 'fixtures/runbooks/broken';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('broken runbooks', () => {
  it('has at least 25 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it.each(files)('%s gets exactly its expected lines', (name) => {
    const file = join(dir, name);
    const lines = readFileSync(file, 'latin1').split('\n');
    const expected = lines
      .slice(
        0,
        lines.findIndex((l) => !l.startsWith('# expect: ')),
      )
      .map((l) => l.slice('# expect: '.length));
    expect(expected.length, `${name} must start with "# expect: LINE:COL: message"`).toBeGreaterThan(0);
    const r = loadRunbookFile(file, {});
    expect(r.runbook).toBeUndefined();
    expect(r.problems.map(formatProblem)).toEqual(expected.map((e) => `${file}:${e}`));
  });
});

describe('valid runbooks', () => {
  const valid = readdirSync('fixtures/runbooks').filter((f) => f.endsWith('.yaml'));
  // What the reference runbooks take from the environment (blue-green's tenant, canary's token).
  const env = { TENANT: 'team-a', PROM_TOKEN: 'token' };
  it('has at least three', () => expect(valid.length).toBeGreaterThanOrEqual(3));
  it.each(valid)('%s loads with no problems', (name) => {
    const r = loadRunbookFile(join('fixtures/runbooks', name), env);
    expect(r.problems).toEqual([]);
    expect(r.runbook?.phases.length).toBeGreaterThan(0);
  });
});

describe('files that are not runbooks', () => {
  it('a missing file gets one line naming it', () => {
    const r = loadRunbookFile('fixtures/runbooks/nope.yaml');
    expect(r.problems.map(formatProblem)).toEqual(['fixtures/runbooks/nope.yaml: no such file; check the path']);
  });
  it('a directory gets one line', () => {
    const r = loadRunbookFile('fixtures/runbooks');
    expect(r.problems.map(formatProblem)).toEqual(['fixtures/runbooks: is a directory, not a runbook file']);
  });
});
