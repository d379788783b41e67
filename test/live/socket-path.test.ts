// The socket beside a journal has a short name whatever the journal's (a Unix socket path holds at
// most 107 bytes; the default sessions directory and a long runbook name went over).
import { describe, expect, it } from 'vitest';
import { basename, dirname } from 'node:path';
import { SOCKET_NAME, socketPath } from '../../src/live/protocol.js';

describe('socketPath', () => {
  it('is beside the journal, short, and one per journal name', () => {
    const dir = '/home/an-operator-with-a-long-name/.local/state/cutover/sessions';
    const journal = `${dir}/2026-12-02T12-46-08Z-payments-api-v4-0-0-blue-green-canary-automatic-rollback-procedure-c.jsonl`;
    const p = socketPath(journal);
    expect(dirname(p)).toBe(dir);
    expect(basename(p)).toMatch(SOCKET_NAME);
    expect(Buffer.byteLength(p)).toBeLessThan(107);
    expect(socketPath(journal)).toBe(p);
    expect(socketPath(`${dir}/another.jsonl`)).not.toBe(p);
  });
});
