/**
 * Output of one command on one host, from raw chunks to `command/output` events: decoded per
 * stream (a character split across chunks stays whole), cut into lines, carriage returns applied,
 * control sequences stripped, secrets redacted, long lines cut, the total capped, and lines
 * coalesced so each stream emits at most one event per `flushMs`.
 */
import { StringDecoder } from 'node:string_decoder';
import { overprint, stripControls } from './sanitize.js';
import type { Redactor, StreamRedactor } from './redact.js';

/** Which remote stream a chunk came from. */
export type StreamName = 'stdout' | 'stderr';

/** Limits of one command's output; the defaults are what the console and `cutover exec` use. */
export interface OutputLimits {
  /** Bytes taken from one host for one command (both streams), then a marker (default 1 MiB). */
  maxBytes?: number;
  /** Characters kept of one line, then a marker (default 4096). */
  maxLine?: number;
  /** Minimum time between two events of one stream (default 100 ms). */
  flushMs?: number;
}

/** Appended to a line that was cut. */
export const LINE_CUT = '…[line cut]';

/** The line that replaces everything past the byte cap. */
export function capMarker(maxBytes: number): string {
  return `…[output truncated: more than ${formatBytes(maxBytes)} from this host; the rest was dropped]`;
}

interface Stream {
  decoder: StringDecoder;
  redact: StreamRedactor;
  pending: string;
  /** A `\r` was the last thing seen: the next text starts the line over. */
  cr: boolean;
  /** The current line was already cut: drop text until its newline. */
  discarding: boolean;
  lines: string[];
  timer?: NodeJS.Timeout;
  lastEmit: number;
}

/** Collects one command's output on one host and emits it as coalesced, sanitized lines. */
export class CommandOutput {
  private readonly streams: Record<StreamName, Stream>;
  private readonly maxBytes: number;
  private readonly maxLine: number;
  private readonly flushMs: number;
  /** Raw text kept for one unfinished line before it is cut anyway (escape codes inflate it). */
  private readonly rawLimit: number;
  private bytes = 0;
  private capped = false;
  private ended = false;

  /** `emit` receives each batch: whole lines, each ending in `\n`. */
  constructor(
    redactor: Redactor,
    private readonly emit: (stream: StreamName, text: string) => void,
    limits: OutputLimits = {},
  ) {
    this.maxBytes = limits.maxBytes ?? 1024 * 1024;
    this.maxLine = limits.maxLine ?? 4096;
    this.flushMs = limits.flushMs ?? 100;
    this.rawLimit = Math.max(this.maxLine * 4, 16384);
    const mk = (): Stream => ({
      decoder: new StringDecoder('utf8'),
      redact: redactor.stream(),
      pending: '',
      cr: false,
      discarding: false,
      lines: [],
      lastEmit: -Infinity,
    });
    this.streams = { stdout: mk(), stderr: mk() };
  }

  /** True once the byte cap was reached (later output is dropped). */
  get truncated(): boolean {
    return this.capped;
  }

  /** Takes one raw chunk of a stream. */
  write(name: StreamName, chunk: Buffer | string): void {
    if (this.ended || this.capped) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const s = this.streams[name];
    const room = this.maxBytes - this.bytes;
    if (buf.length <= room) {
      this.bytes += buf.length;
      this.feed(s, s.decoder.write(buf));
      return;
    }
    this.bytes = this.maxBytes;
    this.feed(s, s.decoder.write(buf.subarray(0, room)));
    this.capped = true;
    this.finishLine(s, true);
    s.lines.push(capMarker(this.maxBytes));
    this.schedule(name);
  }

  /** Ends the command's output: the last partial lines and every pending batch are emitted now. */
  end(): void {
    if (this.ended) return;
    for (const name of ['stdout', 'stderr'] as const) {
      const s = this.streams[name];
      if (!this.capped) this.feed(s, s.decoder.end());
      this.finishLine(s);
      this.flush(name);
    }
    this.ended = true;
  }

  private feed(s: Stream, text: string): void {
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) {
        this.append(s, text.slice(at));
        return;
      }
      this.append(s, text.slice(at, nl));
      this.completeLine(s);
      at = nl + 1;
    }
  }

  /** Adds text to the unfinished line, applying `\r` as it goes so a progress bar never piles up. */
  private append(s: Stream, piece: string): void {
    if (s.discarding || piece === '') return;
    const parts = piece.split('\r');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) s.cr = true;
      if (parts[i] === '') continue;
      s.pending = s.cr ? parts[i] : s.pending + parts[i];
      s.cr = false;
    }
    if (s.pending.length > this.rawLimit) {
      this.push(s, s.pending, true);
      s.pending = '';
      s.discarding = true;
    }
  }

  private completeLine(s: Stream): void {
    if (!s.discarding) this.push(s, s.pending, false);
    s.pending = '';
    s.cr = false;
    s.discarding = false;
  }

  /** Emits what is left of the unfinished line as a line of its own (`cut`: the byte cap cut it). */
  private finishLine(s: Stream, cut = false): void {
    if (s.pending !== '' && !s.discarding) this.push(s, s.pending, false, cut);
    s.pending = '';
    s.cr = false;
    s.discarding = false;
  }

  /**
   * `forceCut`: the raw line was too long and is marked cut. `cut` (too long, or stopped by the
   * byte cap): it ended before its newline, so a secret's first characters at its end go too.
   */
  private push(s: Stream, raw: string, forceCut: boolean, cut = forceCut): void {
    const line = s.redact.line(stripControls(overprint(raw)), cut);
    if (line === undefined) return;
    s.lines.push(forceCut || line.length > this.maxLine ? line.slice(0, this.maxLine) + LINE_CUT : line);
    this.scheduleFor(s);
  }

  private scheduleFor(s: Stream): void {
    this.schedule(s === this.streams.stdout ? 'stdout' : 'stderr');
  }

  /** At most one event per stream per flushMs; lines from one burst of chunks share an event. */
  private schedule(name: StreamName): void {
    const s = this.streams[name];
    if (s.timer || s.lines.length === 0 || this.ended) return;
    const wait = Math.max(0, s.lastEmit + this.flushMs - performance.now());
    s.timer = setTimeout(() => this.flush(name), wait);
  }

  private flush(name: StreamName): void {
    const s = this.streams[name];
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    if (s.lines.length === 0) return;
    const text = `${s.lines.join('\n')}\n`;
    s.lines = [];
    s.lastEmit = performance.now();
    this.emit(name, text);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
