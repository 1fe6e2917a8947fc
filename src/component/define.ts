/**
 * The authoring API: what a component is and what its code sees. A component is a plain
 * module export made by defineComponent; nothing in it knows about threads or schedulers.
 *
 * Two styles, both run by the same scheduler (Morrison's looper / non-looper):
 *
 * - non-looper (`process`): one handler per *stream* in-port, called synchronously for each
 *   IP that arrives there (brackets included). The in-ports without a handler are *params*:
 *   each is read once, before the first call (from its IIP, its first IP, or its default),
 *   and is seen as `ctx.params.NAME`. `end` runs once when every stream port has ended.
 *   Sends never suspend: a send into a full connection is held in the box's outbox and the
 *   box is not called again until the outbox drains, so a connection overfills by at most
 *   what one call sends (capped, see E_OUTBOX). The received IP is dropped by the runtime
 *   when the handler returns unless the handler sent or dropped it. When every connected
 *   out-port of a non-looper has been closed by its receiver, the runtime closes the box's
 *   in-ports and terminates it, so an early close travels upstream through non-loopers
 *   (`Generate → Repeat → Take 3` stops at once, like a shell pipeline under SIGPIPE).
 *
 * - looper (`run`): an async body that receives and sends in a loop and may await I/O at any
 *   depth. Port operations return a plain value when they need not wait and a Promise only
 *   when the box must suspend, so `await` is always correct and the hot path can skip it:
 *
 *       let ip = input.receive();
 *       if (ip instanceof Promise) ip = await ip;
 *
 *   Ownership is strict: what the body receives or creates it must send or drop before the
 *   activation (the call of `run`) ends. If `run` returns while input is still queued, it is
 *   called again (a new activation), as in Morrison's FBP; IIPs can be received once per
 *   activation.
 */
import type { BracketIP, DataIP, IP } from '../ip/ip.ts';
import type { ArenaView, ArenaViewType, PayloadOf, PortDecl, PortDecls } from './port.ts';
import { PORT_TYPE_NAMES } from './port.ts';

/** An in-port (or one element of an array in-port) as a looper sees it. */
export interface InPort<T> {
  /** `in`, or `in[2]` for an array element. */
  readonly name: string;
  /** Whether an edge or IIP feeds this port. */
  readonly connected: boolean;
  /** IPs waiting on this port now (a receive would not suspend while this is above 0). */
  readonly queued: number;
  /**
   * The next IP, or null at end of stream (every sender closed and the queue drained, the
   * port was closed by this box, or an IIP port already read in this activation). Returns a
   * Promise only when it must wait.
   */
  receive(): IP<T> | null | Promise<IP<T> | null>;
  /** Close early: queued IPs are discarded (and counted), senders see their sends fail. */
  close(): void;
  /** `for await (const ip of port)`: convenient, one microtask per IP. */
  [Symbol.asyncIterator](): AsyncIterator<IP<T>>;
}

/** An out-port (or one element of an array out-port) as a looper sees it. */
export interface OutPort<T> {
  readonly name: string;
  readonly connected: boolean;
  /** True when sends fail: the receiver closed its end, this box closed the port, or the
   * port is unconnected. */
  readonly closed: boolean;
  /** IPs sent on this port's connection and not yet received (0 when unconnected). */
  readonly queued: number;
  /**
   * Move `ip` to the connection. Returns true once it is queued, false if the port is
   * closed or unconnected (the IP is dropped and counted). Returns a Promise only when the
   * connection is full and the box must wait.
   */
  send(ip: IP<T>): boolean | Promise<boolean>;
  /** Create a data IP holding `data` and send it. */
  emit(data: T): boolean | Promise<boolean>;
  openBracket(group?: string): boolean | Promise<boolean>;
  closeBracket(group?: string): boolean | Promise<boolean>;
  /** Close early: the receiver sees end of stream once it has drained this port's IPs. */
  close(): void;
}

/** An out-port as a non-looper sees it: sends never suspend (see the outbox above). */
export interface SyncOutPort<T> {
  readonly name: string;
  readonly connected: boolean;
  readonly closed: boolean;
  readonly queued: number;
  send(ip: IP<T>): boolean;
  emit(data: T): boolean;
  openBracket(group?: string): boolean;
  closeBracket(group?: string): boolean;
  close(): void;
}

type ArrayFlag<D> = D extends PortDecl<any, infer A> ? A : never;

export type InPorts<I extends PortDecls> = {
  readonly [K in keyof I]: true extends ArrayFlag<I[K]> ? readonly InPort<PayloadOf<I[K]>>[] : InPort<PayloadOf<I[K]>>;
};
export type OutPorts<O extends PortDecls> = {
  readonly [K in keyof O]: true extends ArrayFlag<O[K]> ? readonly OutPort<PayloadOf<O[K]>>[] : OutPort<PayloadOf<O[K]>>;
};
export type SyncOutPorts<O extends PortDecls> = {
  readonly [K in keyof O]: true extends ArrayFlag<O[K]>
    ? readonly SyncOutPort<PayloadOf<O[K]>>[]
    : SyncOutPort<PayloadOf<O[K]>>;
};

/** A minimal writable sink (process.stdout fits). */
export interface TextSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** What every component body gets besides its ports. */
export interface BoxContext {
  /** The box's name: the node id in the graph (`sub.inner` inside subnets). */
  readonly name: string;
  /** Create a data IP owned by this box. */
  create<T>(data: T): DataIP<T>;
  openBracket(group?: string): BracketIP;
  closeBracket(group?: string): BracketIP;
  /** End an IP this box owns (an arena view in it is freed). */
  drop(ip: IP<unknown>): void;
  /**
   * A typed array of `length` elements in the network's shared arena, zero-filled (with
   * `{ zero: false }` its contents are whatever the block held last: faster). Put it in an IP
   * (`emit`, `create`) to move it: on one thread and across workers it moves by reference,
   * never copied, and its block is freed when its IP is dropped, however that happens. The
   * network has an arena when one of its ports is `port.shared()`; E_ARENA otherwise, and when
   * the arena is full (`arenaBytes`, `--arena MiB`).
   */
  alloc<T extends ArenaViewType>(type: T, length: number, opts?: { zero?: boolean }): InstanceType<T>;
  /** Free a view made by alloc that was never put into an IP (one in an IP ends with its IP). */
  free(view: ArenaView): void;
  /** Aborted when the network stops (failure, deadlock, interrupt): cancel pending I/O. */
  readonly signal: AbortSignal;
  /** The network's standard output (only core/Output should write to it). */
  readonly stdout: TextSink;
}

export type Params<I extends PortDecls, H extends keyof I> = {
  readonly [K in Exclude<keyof I, H>]: PayloadOf<I[K]>;
};

export interface NonLooperContext<I extends PortDecls, H extends keyof I, S> extends BoxContext {
  readonly params: Params<I, H>;
  /** Per-box state made by `state()` (undefined when the component has none). */
  readonly state: S;
}

export type Handler<T, O extends PortDecls, C> = (ip: IP<T>, out: SyncOutPorts<O>, ctx: C) => void;

interface Common<I extends PortDecls, O extends PortDecls> {
  /** Optional: defaults to the name it is registered under. */
  name?: string;
  description?: string;
  inPorts: I;
  outPorts: O;
}

export interface LooperSpec<I extends PortDecls, O extends PortDecls> extends Common<I, O> {
  run(inPorts: InPorts<I>, outPorts: OutPorts<O>, ctx: BoxContext): Promise<void>;
}

export interface NonLooperSpec<I extends PortDecls, O extends PortDecls, H extends keyof I, S> extends Common<I, O> {
  state?: () => S;
  process: { [K in H]: Handler<PayloadOf<I[K]>, O, NonLooperContext<I, H, S>> };
  end?(out: SyncOutPorts<O>, ctx: NonLooperContext<I, H, S>): void;
}

export interface LooperComponent<I extends PortDecls = PortDecls, O extends PortDecls = PortDecls> {
  readonly kind: 'component';
  readonly style: 'looper';
  readonly name?: string;
  readonly description?: string;
  readonly inPorts: I;
  readonly outPorts: O;
  run(inPorts: InPorts<I>, outPorts: OutPorts<O>, ctx: BoxContext): Promise<void>;
}

/** A handler with its parameter types erased (method syntax keeps it assignable). */
type ErasedHandler = { bivariant(ip: IP<any>, out: any, ctx: any): void }['bivariant'];

export interface NonLooperComponent<I extends PortDecls = PortDecls, O extends PortDecls = PortDecls> {
  readonly kind: 'component';
  readonly style: 'non-looper';
  readonly name?: string;
  readonly description?: string;
  readonly inPorts: I;
  readonly outPorts: O;
  readonly state?: () => unknown;
  readonly process: Record<string, ErasedHandler>;
  end?(out: SyncOutPorts<O>, ctx: any): void;
}

/** Any component (port types erased). */
export type Component = LooperComponent<any, any> | NonLooperComponent<any, any>;

export function defineComponent<I extends PortDecls, O extends PortDecls>(spec: LooperSpec<I, O>): LooperComponent<I, O>;
export function defineComponent<I extends PortDecls, O extends PortDecls, H extends keyof I, S = undefined>(
  spec: NonLooperSpec<I, O, H, S>,
): NonLooperComponent<I, O>;
export function defineComponent(spec: any): Component {
  const problems = checkSpec(spec);
  if (problems.length > 0) throw new TypeError(`defineComponent: ${problems.join('; ')}`);
  const base = {
    kind: 'component' as const,
    name: spec.name,
    description: spec.description,
    inPorts: Object.freeze({ ...spec.inPorts }),
    outPorts: Object.freeze({ ...spec.outPorts }),
  };
  if (typeof spec.run === 'function') return Object.freeze({ ...base, style: 'looper' as const, run: spec.run });
  return Object.freeze({
    ...base,
    style: 'non-looper' as const,
    state: spec.state,
    process: Object.freeze({ ...spec.process }),
    end: spec.end,
  });
}

const PORT_NAME = /^[a-z][a-z0-9_]*$/;

/** Shape checks, so that a malformed component is a clear error at load time. */
export function checkSpec(spec: any): string[] {
  const out: string[] = [];
  if (spec === null || typeof spec !== 'object') return ['the definition must be an object'];
  for (const side of ['inPorts', 'outPorts'] as const) {
    const ports = spec[side];
    if (ports === null || typeof ports !== 'object') {
      out.push(`${side} must be an object of port declarations (port.string(), port.any(), ...)`);
      continue;
    }
    for (const [name, decl] of Object.entries(ports)) {
      if (!PORT_NAME.test(name)) out.push(`${side}.${name}: port names are lower case letters, digits and _`);
      const d = decl as Partial<PortDecl>;
      if (!d || typeof d !== 'object' || typeof d.type !== 'string' || typeof d.isArray !== 'boolean') {
        out.push(`${side}.${name} is not a port declaration (use port.string(), port.any(), ...)`);
      } else if (!PORT_TYPE_NAMES.has(d.type)) {
        out.push(`${side}.${name} has the unknown type '${d.type}' (use port.string(), port.any(), port.f64(), ...)`);
      } else if (d.type === 'struct' && !Array.isArray(d.fields)) {
        out.push(`${side}.${name}: a struct port needs its fields (use port.struct({x: 'f64', ...}))`);
      }
    }
  }
  const hasRun = typeof spec.run === 'function';
  const hasProcess = spec.process !== undefined;
  if (hasRun === hasProcess) out.push('give exactly one of `run` (looper) or `process` (non-looper)');
  if (hasProcess) {
    if (spec.process === null || typeof spec.process !== 'object') out.push('`process` must be an object of handlers keyed by in-port');
    else {
      const keys = Object.keys(spec.process);
      if (keys.length === 0) out.push('`process` needs a handler for at least one in-port');
      for (const k of keys) {
        if (typeof spec.process[k] !== 'function') out.push(`process.${k} must be a function`);
        if (spec.inPorts && typeof spec.inPorts === 'object' && !Object.hasOwn(spec.inPorts, k)) out.push(`process.${k}: no in-port named ${k}`);
      }
    }
    if (spec.state !== undefined && typeof spec.state !== 'function') out.push('`state` must be a function returning the per-box state');
    if (spec.end !== undefined && typeof spec.end !== 'function') out.push('`end` must be a function');
  }
  return out;
}

export function isComponent(x: unknown): x is Component {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'component';
}
