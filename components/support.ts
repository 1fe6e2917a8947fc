/**
 * Shared helpers of the standard component library (not a component).
 *
 * - readParam: a looper reads one value from a parameter port (an IIP, or the first data IP
 *   of an edge), dropping what it received;
 * - lineOf: how a value is written as one line of text (strings as-is, others as JSON);
 * - waitEvent / sleep: awaits that end when the network stops (ctx.signal aborts), so that a
 *   box awaiting a drain or a timer never outlives its network;
 * - orderKey / compareNumbers: the orderings Sort and Tally share.
 */
import type { BoxContext, InPort } from '../src/component/define.ts';

/** A value a parameter port may lack: the port's stream ended without a data IP. */
export const NONE: unique symbol = Symbol('none');

/**
 * Receive the first data value on `port` (brackets are skipped and dropped). NONE when the
 * port's stream ended without one; throws when the port is unconnected (no IIP, no edge).
 */
export async function readParam<T>(port: InPort<T>, ctx: BoxContext, component: string): Promise<T | typeof NONE> {
  if (!port.connected) throw new Error(`${component}: no value for ${port.name.toUpperCase()} (give it an IIP)`);
  for (;;) {
    let ip = port.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null) return NONE;
    if (ip.kind === 'data') {
      const v = ip.data;
      ctx.drop(ip);
      return v;
    }
    ctx.drop(ip);
  }
}

/** Throws unless `v` is an integer >= min. */
export function checkInteger(v: unknown, min: number, component: string, portName: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${component}: ${portName.toUpperCase()} must be an integer >= ${min}, got ${showValue(v)}`);
  }
  return v;
}

export function showValue(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/** One line of text for a value: strings as-is, other values as JSON.stringify writes them. */
export function lineOf(v: unknown): string {
  if (typeof v === 'string') return v;
  return showValue(v);
}

/** The abort reason as something throwable (the network's E_STOPPED error). */
function reasonOf(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/**
 * Wait for `event` once on `target`; rejects with the abort reason when `signal` aborts first
 * (the listener on `target` stays: a TextSink has no `off`, and the network is ending anyway).
 */
export function waitEvent(
  target: { once(event: string, listener: () => void): unknown },
  event: string,
  signal: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(reasonOf(signal));
      return;
    }
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    target.once(event, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** setTimeout as a Promise that rejects with the abort reason when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(reasonOf(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(reasonOf(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Mark a pending port Promise as handled, for when the body awaits something else first. */
export function handled(p: Promise<unknown>): void {
  p.catch(() => undefined);
}

/**
 * The text a value is ordered by when values are not all numbers: strings as-is, objects and
 * arrays as JSON (String() would make every object "[object Object]"), the rest by String().
 */
export function orderKey(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') return showValue(v);
  return String(v);
}

/** Numeric order with NaN last (a - b alone is not a consistent comparator with NaN). */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  return na === nb ? 0 : na ? 1 : -1;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
