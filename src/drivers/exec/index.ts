/** The exec driver's public surface: run `run` and `local` steps, cancel them, close the pool. */
export { ExecDriver, label, type ExecOptions, type RemoteRequest, type FanoutResult, type HostResult } from './executor.js';
export { fanout, type Schedule, type Slot } from './fanout.js';
export { CommandOutput, LINE_CUT, capMarker, type OutputLimits, type StreamName } from './output.js';
export { Redactor, REDACTED } from './redact.js';
export { stripControls, overprint } from './sanitize.js';
export { parseKnownHosts, hostMatches, knownHostsName, knownHostsLine, fingerprint, hashName, type KnownHost } from './known-hosts.js';
export { verifyHostKey, type HostKeyPolicy, type HostKeyVerdict } from './host-keys.js';
export { SshConfigSet, type ConfigFile, type HostConfig } from './ssh-config.js';
export { resolveTarget, parseJumps, type Target, type SshSettings, type ResolveContext } from './target.js';
export { runLocal, displayCommand, type LocalCommand } from './local.js';
export { type Outcome, formatMs } from './outcome.js';
