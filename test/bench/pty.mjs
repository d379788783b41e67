// A terminal from outside, for the benchmarks (not a benchmark itself): runs a command on a
// pseudo-terminal (util-linux `script`) of a given size and keeps what it shows in a headless
// xterm.js, so a benchmark can type keys and wait for the screen to show their effect, timed from
// the key written to the moment the bytes that made the screen show it were read.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';

/** Starts `argv` on a `cols` x `rows` terminal. */
export function openTerminal(argv, { cols = 160, rows = 48, env = process.env } = {}) {
  const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
  const cmd = `stty cols ${cols} rows ${rows}; exec ${argv.map(quote).join(' ')}`;
  const t0 = performance.now();
  const proc = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  let errors = '';
  let waiter;
  let exited = false;
  proc.stderr.on('data', (d) => (errors += d));
  proc.on('exit', () => {
    exited = true;
    waiter?.(performance.now());
  });
  proc.stdout.on('data', (d) => {
    const at = performance.now();
    term.write(d, () => waiter?.(at));
  });
  const lines = () => {
    const b = term.buffer.active;
    const out = [];
    for (let y = 0; y < rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out;
  };
  return {
    /** When the terminal was opened (performance.now()). */
    startedAt: t0,
    /** The screen's rows as text. */
    lines,
    /** Writes keys to the terminal; returns the time they were written. */
    press(keys) {
      const at = performance.now();
      proc.stdin.write(keys);
      return at;
    },
    /**
     * Resolves with the arrival time of the output after which `pred(lines)` holds (now, if it
     * already does), or undefined when `ms` pass first or the program exits.
     */
    until(pred, ms) {
      return new Promise((resolve) => {
        if (pred(lines())) return resolve(performance.now());
        const timer = setTimeout(() => done(undefined), ms);
        const done = (v) => {
          clearTimeout(timer);
          waiter = undefined;
          resolve(v);
        };
        waiter = (at) => {
          if (exited) return done(undefined);
          if (pred(lines())) done(at);
        };
      });
    },
    /** The program's pid (the shell exec'd it, so it is `script`'s only child). */
    pid() {
      const kids = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      if (kids.length !== 1) throw new Error(`expected one child of script, found ${kids.length}`);
      return Number(kids[0]);
    },
    /** What the program wrote to stderr (script passes the terminal's output on stdout). */
    errors: () => errors,
    /** Ends the program and the terminal. */
    close() {
      try {
        process.kill(this.pid(), 'SIGTERM');
      } catch {
        // already gone
      }
      proc.kill('SIGTERM');
    },
  };
}
