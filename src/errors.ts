/**
 * The error catalogue of the runtime. Every error the runtime raises on purpose is a
 * WeftError with a stable code; graph problems are Diagnostics (graph/diagnostic.ts) instead.
 *
 * Two families, kept apart (as Go's runtime keeps `throw` apart from `panic`):
 * - box faults (E_BOX_FAILED, E_OWNERSHIP, E_LEAK, E_OUTBOX, E_NO_PROGRESS, E_ENCODE,
 *   E_ARENA): a component did something wrong; the network fails (status `failed`, exit
 *   code 1) and the report names the box;
 * - E_INTERNAL: an invariant of the runtime itself broke. That is a bug in weft.
 */

export type ErrorCode =
  | 'E_USAGE' // bad API or CLI usage
  | 'E_GRAPH' // a graph that cannot be run (carries diagnostics)
  | 'E_COMPONENT' // a component module that cannot be loaded or is malformed
  | 'E_BOX_FAILED' // a box threw or rejected
  | 'E_OWNERSHIP' // an IP sent/dropped/touched by a box that does not own it
  | 'E_LEAK' // an activation ended still owning IPs
  | 'E_OUTBOX' // a non-looper sent too many IPs in one call into a full connection
  | 'E_NO_PROGRESS' // a looper returned without any port operation while input waits
  | 'E_ENCODE' // a box sent a value its connection cannot carry to another thread (wrong machine type, a function, a cycle, ...)
  | 'E_TIMEOUT' // a box went longer than its `timeout` without a port operation
  | 'E_ARENA' // the shared arena cannot serve an allocation (full, too small, or the network has none)
  | 'E_STOPPED' // the network was stopped; port operations after that throw this
  | 'E_INTERNAL';

/**
 * Marks a WeftError. The `weft` command and its workers run weft from a bundle
 * (bundle/cache.mjs) while a component that imports weft gets a second copy of this module:
 * the brand, not the class, says what a WeftError is, so isWeftError holds across the two.
 */
const BRAND = Symbol.for('weft.error');

export class WeftError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeftError';
    this.code = code;
  }
  get [BRAND](): true {
    return true;
  }
}

export function isWeftError(e: unknown, code?: ErrorCode): e is WeftError {
  return typeof e === 'object' && e !== null && (e as { [BRAND]?: true })[BRAND] === true && (code === undefined || (e as WeftError).code === code);
}
