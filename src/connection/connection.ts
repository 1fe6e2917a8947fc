/**
 * Connection: the running bounded FIFO from one or more out-port elements (fan-in) to one
 * in-port element. This file is the contract the scheduler's ports are written against; a
 * LocalConnection implements it inside one thread, and a cross-thread ring will implement
 * the same two ends (SendEnd on the sender's thread, ReceiveEnd on the receiver's).
 *
 * A connection only queues. It never touches box or scheduler state: it reports "became
 * non-empty", "became non-full" and "closed" by calling the Waiter the scheduler installed
 * for that wait, once, and then forgets it.
 *
 * Lifecycle:
 *   open ── every sender called closeSender() ──▶ closed: receive drains, then end-of-stream
 *   open ── receiver called closeReceiver() ───▶ receiver-closed: queued IPs are discarded
 *          (the count is returned, and each goes to the discard callback when one is given),
 *          and every later send fails (the sender drops the IP).
 */

/** Installed by the scheduler; called at most once per registration. */
export interface Waiter {
  wake(): void;
}

export interface SendEnd<P> {
  readonly capacity: number;
  /** True once the receiver closed its end: a send must fail and drop its IP. */
  readonly receiverClosed: boolean;
  /** Enqueue: 1 queued, 0 full (nothing changed), -1 the receiver closed its end. */
  offer(ip: P): number;
  /** Call `w.wake()` once, when there is room or the receiver closed. */
  waitNonFull(w: Waiter): void;
  /**
   * Ends that carry bytes only (a ring to another worker): offer() of a data IP given by its
   * value, so that emit(value) needs no packet. Absent on ends that queue packets.
   */
  offerData?(value: unknown): number;
  /** Ends that publish in batches: publish now (the box is about to take its next input). */
  publishPending?(): void;
  /** One sender is done; when the last sender is done the connection closes. */
  closeSender(): void;
}

export interface ReceiveEnd<P> {
  readonly capacity: number;
  /** Number of IPs queued now. */
  readonly size: number;
  /** True when every sender closed (the queue may still hold IPs). */
  readonly closed: boolean;
  /** Dequeue, or undefined when empty. */
  tryReceive(): P | undefined;
  /** Call `w.wake()` once, when an IP arrives or the connection closes. */
  waitNonEmpty(w: Waiter): void;
  /**
   * The receiver closes early: discard what is queued (returns how many), fail later sends.
   * `discard`, when given, is called with each queued IP thrown away (the scheduler frees
   * arena blocks with it); ends over shared memory decode and release through their codec.
   */
  closeReceiver(discard?: (ip: P) => void): number;
}

/** What an in-port holds: a receive end with its statistics. */
export interface InConnection<P> extends ReceiveEnd<P> {
  /** IPs taken out so far (local: put in). */
  readonly carried: number;
  readonly maxFill: number;
  /** True once the receiver closed its end. */
  readonly receiverClosed: boolean;
}

/** What an out-port holds: a send end and how full it is (for reports). */
export interface OutConnection<P> extends SendEnd<P> {
  readonly size: number;
}
