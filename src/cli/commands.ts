/** The command table: names, help text and a lazy loader each, so `--help` loads nothing heavy. */
import type { Io } from './usage.js';

/** A command's entry point: parsed argv in, exit code out. */
export type CommandMain = (argv: string[], io: Io) => Promise<number>;

export interface CommandSpec {
  name: string;
  synopsis: string;
  summary: string;
  /** Lines of detail for `cutover CMD --help`. */
  help: string[];
  load?: () => Promise<{ main: CommandMain }>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'run',
    synopsis:
      'run -f RUNBOOK [--operator NAME] [--layout NAME|PATH] [--resume JOURNAL [--accept-changed-runbook]] [--yes] [--sign-key FILE|--no-sign] [--metrics-listen [HOST:]PORT]',
    summary: 'the console, live',
    help: [
      'Without a terminal the timeline is printed as plain lines and steps run in order; a manual',
      'step or a gate stops the run (exit 3) unless --yes ticks and says go for you.',
      'The journal goes to $XDG_STATE_HOME/cutover/sessions (default ~/.local/state/cutover/sessions).',
      '  --resume JOURNAL  continue a session after a crash; the runbook comes from -f (default: the path',
      '                    the journal recorded) and must be the one the journal recorded (same sha256)',
      '  --accept-changed-runbook  resume with an edited runbook anyway; the journal records the change',
      "  --sign-key FILE   sign the journal's head at the end with this SSH key (ssh-keygen -Y sign); by",
      '                    default $CUTOVER_SIGN_KEY, else the first ssh-agent key, else ~/.ssh/id_ed25519.',
      '                    A signature that cannot be made is one line on stderr, never a change of exit code',
      '  --no-sign         do not sign',
      "  --metrics-listen [HOST:]PORT  serve the console's own Prometheus metrics (cutover_*) at /metrics;",
      '                    a bare PORT is 127.0.0.1:PORT; another address (0.0.0.0:PORT for every interface)',
      '                    is taken when written out, with a warning: there is no authentication',
      'Exit codes: 0 done, 1 failed, rolled back, left unfinished or resume refused, 3 stopped at a gate (not a TTY),',
      '65 the runbook or layout does not load, 69 the --metrics-listen address cannot be bound (nothing was run).',
    ],
    load: () => import('./run.js'),
  },
  {
    name: 'demo',
    synopsis:
      'demo [--runbook FILE] [--scenario degrade|healthy] [--time-scale N] [--metrics auto|prometheus|simulated] [--yes] [--metrics-listen [HOST:]PORT]',
    summary: 'the console on a simulated fleet, no setup',
    help: [
      'Starts SSH hosts on 127.0.0.1 (ssh2 servers, host keys verified, a key made for this run),',
      'simulated apps whose metrics follow what the commands do, and a real prometheus when one is',
      'on PATH (else a simulated query endpoint). The runbook (default: fixtures/runbooks/',
      'blue-green-gates.yaml) is rewritten onto that fleet in memory; the file is not changed.',
      '  --scenario S      degrade (default): the new release breaks at 50% of the traffic (with no',
      '                    load balancer, as soon as it serves any); healthy: it goes through to 100%',
      '  --time-scale N    divide waits, for:, countdowns and query windows by N (default 10)',
      '  --metrics M       auto (default), prometheus (insist), or simulated',
      '  --operator NAME, --layout NAME|PATH, --yes, --metrics-listen [HOST:]PORT: as for run',
      'Everything started is stopped and its temporary files removed on exit, signals included.',
      'Exit codes: as run.',
    ],
    load: () => import('./demo.js'),
  },
  {
    name: 'replay',
    synopsis: 'replay JOURNAL [--speed X] [--start-at T+MM:SS] [--skip-idle] [--events]',
    summary: 'the console, read-only, from a journal',
    help: [
      'Nothing is executed, whatever the journal holds. Keys: space pause/play, ←/→ 10 s, Shift+←/→ 1 min,',
      '[ ] speed (0.25x-64x), . , one event, n p next/previous decision, 0-9 jump to 0%-90%, q quit.',
      '  --speed X        start at this speed (default 1)',
      '  --start-at T     start at this session time (T+05:30)',
      '  --skip-idle      jump over stretches of more than 5 s with nothing but metrics',
      '  --events         without a terminal: every event, not the story (samples and output included)',
      "Without a terminal the timeline's story is printed as plain lines. Bad or impossible lines are reported",
      '(FILE:LINE) and skipped; a journal that is not intact is said so at the top (stderr without a terminal).',
      'Exit codes: 0 shown (intact or not), 1 unreadable.',
    ],
    load: () => import('./replay.js'),
  },
  {
    name: 'report',
    synopsis: 'report JOURNAL [--format md|json]',
    summary: 'post-mortem material from a journal',
    help: [
      'Summary, phases planned vs actual, gate decisions, triggers, rollbacks per host, notes, and the',
      'health values at each decision, from the journal alone. Markdown by default. Its top says when the',
      'journal is not intact and lists the lines not taken as fact (FILE:LINE).',
      'Exit codes: 0 intact, every line taken; 2 written, but not intact or lines not taken; 1 unreadable.',
    ],
    load: () => import('./report.js'),
  },
  {
    name: 'validate',
    synopsis: 'validate FILE...',
    summary: 'check runbooks; print FILE:LINE:COL: message per problem',
    help: ['Exit codes: 0 every file valid, 1 any problem.'],
    load: () => import('./validate.js'),
  },
  {
    name: 'schema',
    synopsis: 'schema',
    summary: 'print the JSON Schema of the runbook format',
    help: [
      'For editors: save it as runbook.schema.json and start runbooks with',
      '  # yaml-language-server: $schema=./runbook.schema.json',
    ],
    load: () => import('./schema.js'),
  },
  {
    name: 'health',
    synopsis: 'health -f RUNBOOK [--watch] [--json]',
    summary: 'the health panels once (or repeatedly), as text',
    help: ['Exit codes: 0 ok, 1 warning, 2 critical, 3 unknown.'],
    load: () => import('./health.js'),
  },
  {
    name: 'judge',
    synopsis: 'judge -f RUNBOOK [--json]',
    summary: 'the statistical canary judgment now',
    help: [
      'Each compare panel with judge: is compared over its window (canary against baseline with',
      'query_range): Mann-Whitney U, the Hodges-Lehmann shift and its interval, the effect size',
      "(canary mean / baseline mean), and a class (High, Low, Pass, NoData) by Kayenta's rule. The",
      'score is Pass / counted metrics per group, weighted; 0 when a critical metric fails.',
      '  --json  the judgment as JSON (per metric: counts, U, p, estimate, interval, effect, class)',
      'Exit codes: 0 pass, 1 marginal, 2 fail, 3 no data, 64 usage or runbook problems.',
    ],
    load: () => import('./judge.js'),
  },
  {
    name: 'exec',
    synopsis: 'exec -f RUNBOOK GROUP [--timeout D] [--batch N|P%] [--max-fail N|P%] [--concurrency N] -- COMMAND',
    summary: 'one command on a host group, output per host',
    help: [
      "Runs over SSH with ~/.ssh/config, known_hosts and the runbook's ssh settings, like a run step.",
      '  --timeout D       per-host command timeout (30s, 2m); TERM is sent when it expires',
      '  --batch N|P%      hosts per batch, batch after batch (like Ansible serial)',
      '  --max-fail N|P%   stop launching hosts once more than this many have failed',
      '  --concurrency N   hosts at once (default: ssh.concurrency, else 32)',
      'Exit codes: 0 every host exited 0, 1 otherwise, 64 usage or runbook problems.',
    ],
    load: () => import('./exec.js'),
  },
  {
    name: 'sessions',
    synopsis: 'sessions [--dir DIR]',
    summary: 'recorded journals, newest first',
    help: [
      'Runbook, operator, start, duration, outcome and path of each journal in',
      '$XDG_STATE_HOME/cutover/sessions (default ~/.local/state/cutover/sessions), or in --dir.',
      'Exit codes: 0.',
    ],
    load: () => import('./sessions.js'),
  },
  {
    name: 'mark',
    synopsis: 'mark [--kind info|warning|error|phase] [--session JOURNAL|--latest] [--operator NAME] TEXT',
    summary: "add a line to a live session's timeline (from a script)",
    help: [
      'The console journals it with who sent it (--operator, else $USER), the calling process and its',
      'command line; it shows in the timeline, the journal, replay and the report. One line of plain',
      'text, at most 500 characters. By default (and with --latest) the newest session of this machine',
      'whose console answers; --session JOURNAL names one.',
      '  --kind K   info (default), warning, error (shows as critical) or phase (a marker in the timeline)',
      'From a deploy script: log_step() { echo "$*"; cutover mark --kind phase "$*" || true; }',
      'Exit codes: 0 recorded, 1 no live session or the console refused it, 65 the text is refused, 64 usage.',
    ],
    load: () => import('./mark.js'),
  },
  {
    name: 'verify',
    synopsis: 'verify JOURNAL [--signers ALLOWED_SIGNERS]',
    summary: "check a journal's hash chain, head anchor and signature",
    help: [
      'Three layers, each catching what the one before cannot:',
      '  chain      each line hashes the one before: finds a line edited, dropped, inserted or',
      '             reordered. It cannot see lines cut off the end, nor a chain recomputed after an edit.',
      '  head       JOURNAL.head (0600) names the last line on disk, rewritten after each decision and',
      '             at close: finds a cut tail and a recomputed chain, unless the head was rewritten too.',
      "  signature  JOURNAL.head.sig, made at session end with the operator's SSH key (ssh-keygen -Y sign",
      '             -n cutover-journal): finds a rewritten head. Whoever holds the key can still rewrite',
      '             history and sign it again; lines after the signed head are not covered.',
      '  --signers FILE  an OpenSSH allowed_signers file (as for git): says who signed, and makes a',
      '                  missing signature a failure. Without it a signature is only checked against the',
      '                  key inside it (anyone can make one), and an absent head or signature is a note.',
      'Problems name the line: truncated after line N, head mismatch at line N, signature invalid or',
      'absent, line N is longer than the limit.',
      'Exit codes: 0 intact (notes say what could not be checked), 1 not intact.',
    ],
    load: () => import('./verify.js'),
  },
  {
    name: 'follow',
    synopsis: 'follow [JOURNAL | --latest] [--approve] [--operator NAME]',
    summary: 'a live session, read-only, from another terminal (or over SSH)',
    help: [
      'The console of a running session, read-only, following its journal as the console writes it: an event is on',
      'screen within a second. No key acts on the session. The status bar says FOLLOWING (ENDED once the session',
      'has ended: the follower stays until q); the line under it, who operates and how far behind the journal it is.',
      'Lines not taken as fact and a broken hash chain are shown as problems (FILE:LINE), as in replay.',
      '  --latest          the newest session in $XDG_STATE_HOME/cutover/sessions whose console answers, else',
      '                    the journal there written to last',
      '  --approve         two keys answer a pending approval request: a approves (capital Y for a rollback), r',
      "                    refuses (a reason); sent to the console's socket beside the journal, which decides",
      '  --operator NAME   who approves (default $USER); the console refuses a self-approval',
      'Over SSH: ssh -t ops-laptop cutover follow --latest. Without a terminal the story is printed as plain lines',
      'until the session ends.',
      'Exit codes: 0 followed (without a terminal: the session ended), 1 the journal cannot be followed.',
    ],
    load: () => import('./follow.js'),
  },
];
