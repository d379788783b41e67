/**
 * The fan-out schedule over a host group, like Ansible's `serial`: hosts go in batches, one batch
 * after another, with at most `concurrency` hosts in flight inside a batch. Failures are counted
 * as hosts finish; once they EXCEED `maxFailures` (so `maxFail: 0` stops at the first failure),
 * no further host is launched: hosts already running finish, and the rest are reported skipped.
 * Cancelling stops launching the same way. Results come back in host order.
 */

/** How to schedule. */
export interface Schedule {
  /** Hosts in flight at once (runbook `ssh.concurrency`, default 32). */
  concurrency: number;
  /** Hosts per batch (already resolved; the whole group when undefined). */
  batchSize?: number;
  /** Failures tolerated before no further host is launched (Infinity when undefined). */
  maxFailures?: number;
  signal?: AbortSignal;
}

/** One slot of the result: what the launch returned, or why the host was never launched. */
export type Slot<T> = { launched: true; value: T } | { launched: false; reason: 'max-fail' | 'cancelled' };

/** Runs `launch(i)` for every index under the schedule. `failed` says whether a value counts as a failure. */
export async function fanout<T>(
  count: number,
  launch: (i: number) => Promise<T>,
  failed: (v: T) => boolean,
  s: Schedule,
): Promise<{ slots: Slot<T>[]; tripped: boolean }> {
  const slots: (Slot<T> | undefined)[] = new Array(count);
  const limit = Math.max(1, s.concurrency);
  const batch = Math.max(1, Math.min(count, s.batchSize ?? count));
  const tolerated = s.maxFailures ?? Infinity;
  let failures = 0;
  let tripped = false;
  const stopped = () => tripped || s.signal?.aborted === true;

  for (let start = 0; start < count && !stopped(); start += batch) {
    const end = Math.min(count, start + batch);
    let next = start;
    await new Promise<void>((resolve) => {
      let running = 0;
      const pump = () => {
        while (running < limit && next < end && !stopped()) {
          const i = next++;
          running++;
          launch(i)
            .then(
              (value) => {
                slots[i] = { launched: true, value };
                if (failed(value) && ++failures > tolerated) tripped = true;
              },
              (e: unknown) => {
                // launch functions are meant never to reject; a bug must still not hang the fan-out
                slots[i] = { launched: true, value: e as T };
                if (++failures > tolerated) tripped = true;
              },
            )
            .finally(() => {
              running--;
              pump();
            });
        }
        if (running === 0) {
          s.signal?.removeEventListener('abort', pump);
          resolve();
        }
      };
      s.signal?.addEventListener('abort', pump);
      pump();
    });
  }
  const reason = tripped ? 'max-fail' : 'cancelled';
  return { slots: Array.from(slots, (x) => x ?? { launched: false as const, reason }), tripped };
}
