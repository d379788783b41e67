// Text fields keep up in a real terminal (tmux): a whole note with Backspaces, Ctrl-U, Ctrl-W,
// Home and End is sent in one send-keys, at the terminal's full speed, and the journal holds
// exactly the text those keys make; the filter takes its text the same way.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/index.js';
import { needBinary } from '../support/binaries.js';
import { tempDir } from '../support/sshd.js';
import { tmuxOn } from './screen-check.js';

const tmux = needBinary('tmux', 'tmux');
const bin = join(process.cwd(), 'bin', 'cutover');

describe.skipIf(!tmux)('tmux: typing at full speed', () => {
  const dir = tempDir('cutover-typing-');
  const term = tmuxOn(tmux!, `cutover-typing-${process.pid}`);
  const screen = () => term.rows().join('\n');

  beforeAll(() => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      join(dir, 'rb.yaml'),
      `name: typing check
phases:
  - id: one
    title: One
    steps:
      - { id: hello, title: Say hello, local: { command: [echo, hello] } }
`,
    );
    term.t(
      'new-session',
      '-d',
      '-s',
      's',
      '-x',
      '100',
      '-y',
      '30',
      '-c',
      dir,
      '-e',
      `XDG_STATE_HOME=${join(dir, 'state')}`,
      process.execPath,
      bin,
      'run',
      '-f',
      'rb.yaml',
      '--operator',
      'tess',
    );
  });
  afterAll(() => {
    term.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const notes = () => {
    const d = join(dir, 'state', 'cutover', 'sessions');
    const [journal] = existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.jsonl')) : [];
    if (!journal) return [];
    return readJournal(join(d, journal))
      .entries.map((e) => e.event)
      .flatMap((e) => (e.type === 'note/added' ? [e.text] : []));
  };

  it('applies every key of a note in order, however fast they come', async () => {
    await expect.poll(screen, { timeout: 20_000 }).toMatch(/▸ ○ Say hello/);
    // One send-keys: tmux writes these to the terminal back to back.
    term.keys(
      '3',
      'n',
      'throw this away',
      'C-u',
      'ab',
      'BSpace',
      'BSpace',
      'roll ',
      'bakc',
      'BSpace',
      'BSpace',
      'ck',
      ' now junk',
      'C-w',
      'C-w',
      'Home',
      'go ',
      'End',
      'BSpace',
      '!',
      'Left',
      'Left',
      'Left',
      'Left',
      'BSpace',
      'B',
      'Enter',
    );
    // "go roll back!", then four Lefts put the cursor before "ack!": Backspace takes the b, and B goes in its place.
    await expect.poll(notes, { timeout: 10_000 }).toEqual(['go roll Back!']);
    await expect.poll(screen).toMatch(/go roll Back!/);
  });

  it('the filter takes its text the same way, and applies it', async () => {
    term.keys('/', 'nothing', 'C-w', 'trig', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'Back');
    await expect.poll(screen).toMatch(/> Back█/);
    term.keys('Enter');
    await expect.poll(() => term.rows().at(-1)).toMatch(/filter: Back/);
    // The timeline keeps only the note's line.
    await expect.poll(screen).not.toMatch(/session started/);
    expect(screen()).toMatch(/go roll Back!/);
  });
});
