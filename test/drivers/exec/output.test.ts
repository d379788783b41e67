import { describe, expect, it } from 'vitest';
import { CommandOutput, LINE_CUT, capMarker, type StreamName } from '../../../src/drivers/exec/output.js';
import { Redactor, REDACTED } from '../../../src/drivers/exec/redact.js';
import { until } from './helpers.js';

function collector(limits = {}) {
  const got: { stream: StreamName; text: string; at: number }[] = [];
  const out = new CommandOutput(
    new Redactor(['internal-secret']),
    (stream, text) => got.push({ stream, text, at: performance.now() }),
    limits,
  );
  const text = (s: StreamName = 'stdout') =>
    got
      .filter((g) => g.stream === s)
      .map((g) => g.text)
      .join('');
  return { out, got, text };
}

describe('CommandOutput', () => {
  it('keeps a multi-byte character split across chunks whole', () => {
    const { out, text } = collector();
    const bytes = Buffer.from('naïve ✓ 日本\n');
    for (let i = 0; i < bytes.length; i++) out.write('stdout', bytes.subarray(i, i + 1));
    out.end();
    expect(text()).toBe('naïve ✓ 日本\n');
  });

  it('emits whole lines; a final partial line gets its newline at the end', () => {
    const { out, text } = collector();
    out.write('stdout', 'one\ntw');
    out.write('stdout', 'o\nthree');
    out.end();
    expect(text()).toBe('one\ntwo\nthree\n');
  });

  it('keeps streams apart and empty lines as they are', () => {
    const { out, text } = collector();
    out.write('stdout', 'a\n\nb\n');
    out.write('stderr', 'warn\n');
    out.end();
    expect([text('stdout'), text('stderr')]).toEqual(['a\n\nb\n', 'warn\n']);
  });

  it('applies carriage returns, CRLF included, and never piles up a progress bar', () => {
    const { out, text } = collector();
    for (let i = 0; i <= 100; i++) out.write('stdout', `\rprogress ${i}%`);
    out.write('stdout', '\r\nnext\r\n');
    out.end();
    expect(text()).toBe('progress 100%\nnext\n');
  });

  it('strips control sequences split across chunks and redacts after stripping', () => {
    const { out, text } = collector();
    out.write('stdout', 'AKIA\x1b[3');
    out.write('stdout', '1mIOSFODNN7EXAMPLE\x1b]0;ti');
    out.write('stdout', 'tle\x07 internal-secret\n');
    out.end();
    expect(text()).toBe(`${REDACTED} ${REDACTED}\n`);
  });

  it('drops a private key block streamed over several chunks', () => {
    const { out, text } = collector();
    out.write('stdout', 'x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    out.write('stdout', 'AAAA\n-----END OPENSSH PRIVATE KEY-----\ny\n');
    out.end();
    expect(text()).toBe(`x\n${REDACTED} private key\ny\n`);
  });

  it('cuts long lines with a marker', () => {
    const { out, text } = collector({ maxLine: 10 });
    out.write('stdout', `short\n${'x'.repeat(25)}\nafter\n`);
    out.end();
    expect(text()).toBe(`short\n${'x'.repeat(10)}${LINE_CUT}\nafter\n`);
  });

  it('cuts a line that never ends without holding it all, then resumes at the next line', () => {
    const { out, text } = collector({ maxLine: 100 });
    for (let i = 0; i < 100; i++) out.write('stdout', 'y'.repeat(1000));
    out.write('stdout', 'tail of the long line\nnext\n');
    out.end();
    expect(text()).toBe(`${'y'.repeat(100)}${LINE_CUT}\nnext\n`);
  });

  it('caps the bytes of one command across both streams with a single marker', () => {
    const { out, got, text } = collector({ maxBytes: 1000 });
    for (let i = 0; i < 50; i++) out.write(i % 2 ? 'stderr' : 'stdout', `${'z'.repeat(49)}\n`);
    out.end();
    expect(out.truncated).toBe(true);
    const all = text('stdout') + text('stderr');
    expect(all.split(capMarker(1000)).length).toBe(2);
    expect(all.length).toBeLessThan(1000 + capMarker(1000).length + 10);
    expect(got.length).toBeLessThanOrEqual(4);
  });

  it('coalesces: a stream emits at most one event per flush interval', async () => {
    const { out, got } = collector({ flushMs: 50 });
    const t0 = performance.now();
    const stop = t0 + 400;
    while (performance.now() < stop) {
      out.write('stdout', 'tick\n');
      await new Promise((r) => setTimeout(r, 2));
    }
    out.end();
    const times = got.map((g) => g.at);
    for (let i = 1; i < times.length - 1; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(45);
    expect(got.length).toBeLessThanOrEqual(Math.ceil(400 / 50) + 2);
    expect(
      got
        .map((g) => g.text)
        .join('')
        .split('\n')
        .filter(Boolean)
        .every((l) => l === 'tick'),
    ).toBe(true);
  });

  it('a quiet stream emits its first line without waiting a full interval', async () => {
    const { out, got } = collector({ flushMs: 5000 });
    out.write('stdout', 'hello\n');
    await until(() => got.length === 1, 'the first batch', 1000);
    out.end();
  });
});

describe('CommandOutput: secret values', () => {
  const secret = 'Zq8-secret-VALUE-41x';
  function secretCollector(limits = {}) {
    const got: string[] = [];
    const out = new CommandOutput(new Redactor([], [secret]), (_s, text) => got.push(text), limits);
    return { out, text: () => got.join('') };
  }

  it('redacts a value split across chunks at every position, and one split by escape codes or a carriage return', () => {
    const line = `token ${secret} ok\n`;
    for (let cut = 1; cut < line.length; cut++) {
      const { out, text } = secretCollector();
      out.write('stdout', line.slice(0, cut));
      out.write('stdout', line.slice(cut));
      out.end();
      expect(text()).toBe(`token ${REDACTED} ok\n`);
    }
    const { out, text } = secretCollector();
    for (const b of Buffer.from(`${secret.slice(0, 5)}\x1b[31m${secret.slice(5)}\x1b[0m\nxx\r${secret}\n`))
      out.write('stdout', Buffer.from([b]));
    out.end();
    expect(text()).toBe(`${REDACTED}\n${REDACTED}\n`);
  });

  it('leaves no start of a value where the byte cap cuts it', () => {
    const { out, text } = secretCollector({ maxBytes: 20 });
    out.write('stdout', `0123456789${secret}\n`);
    out.end();
    expect(text()).not.toContain(secret.slice(0, 3));
    expect(text()).toContain(`0123456789${REDACTED}`);
  });

  it('leaves no start of a value where an endless line is cut (escape codes made it short once stripped)', () => {
    const { out, text } = secretCollector();
    out.write('stdout', '\x1b[m'.repeat(5460) + secret.slice(0, 11));
    out.write('stdout', `${secret.slice(11)} and the rest\nnext\n`);
    out.end();
    expect(text()).toBe(`${REDACTED}${LINE_CUT}\nnext\n`);
  });
});
