/**
 * Messages between the main thread and the workers of a network (postMessage; the IPs
 * themselves never travel this way, they go through rings in shared memory).
 *
 *   main → worker   start | snapshot | finish | stop(reason) | ack(bytes of output written)
 *   worker → main   ready | startup-error | quiescent | snapshot | out(text) | result
 *
 * Life of a run: every worker builds its part and says `ready`; main says `start`. A worker
 * whose doorbell count of active workers reaches zero says `quiescent`; main then asks every
 * worker for a `snapshot` (boxes still alive, and what each blocked box waits on) and answers
 * `finish` (no box alive anywhere) or `stop('deadlock')` with the combined report. A failure
 * in a worker ends its run; main stops the others. Each worker ends with one `result`.
 */
import type { BuildOptions } from '../network/build.ts';
import type { NetworkStats, RunStatus, WorkerStats } from '../network/network.ts';
import type { WaitInfo } from '../network/termination.ts';
import type { Graph } from '../graph/graph.ts';
import type { ValueLayout } from '../shm/codec.ts';
import type { QueueInit } from '../shm/mpmc.ts';
import type { RingInit } from '../shm/ring.ts';

export interface WorkerInit {
  worker: number;
  workers: number;
  /** This worker's share of the flat, validated graph: its nodes, the edges that touch them, its IIPs. */
  graph: Graph;
  /** For each of those edges, its index in the whole graph (which names its ring). */
  edgeIndex: number[];
  placement: [string, number][];
  rings: [number, { init: RingInit; layout: ValueLayout }][];
  queues: [string, { init: QueueInit; layout: ValueLayout }][];
  /** Order state of each ordered parallel node (shm/order.ts), by node id. */
  orders: [string, SharedArrayBuffer][];
  doorbells: SharedArrayBuffer;
  /** Heartbeats for the watchdog: BEAT_STRIDE Int32 words per worker. */
  beats: SharedArrayBuffer;
  /** The network's shared arena (shm/arena.ts), when some port is port.shared(). */
  arena?: SharedArrayBuffer;
  /** Pin this worker to core `worker` mod the cores (--pin). */
  pin?: boolean;
  /** Components directories, searched after the built-in components. */
  components: string[];
  options: Omit<BuildOptions, 'stdout'>;
}

export type ToWorker =
  | { t: 'start' }
  | { t: 'snapshot' }
  | { t: 'finish' }
  | { t: 'stop'; reason: string }
  | { t: 'ack'; bytes: number }
  /** For the live status line: answered with an `activity` message. */
  | { t: 'activity' };

export interface WireFailure {
  box: string;
  component: string;
  message: string;
  code?: string;
  stack?: string;
  /** The worker that ran the box (absent when the worker itself died: the box is `<worker N>`). */
  worker?: number;
}

export interface WireResult {
  status: RunStatus;
  stats: NetworkStats;
  failure?: WireFailure;
  stalled?: { box: string; component: string }[];
  reason?: string;
  /** IPs that reached rings after their receiver closed (dropped, counted here). */
  lateDrops: number;
  worker?: WorkerStats;
}

export type FromWorker =
  /** `unpinned`: asked to pin itself (--pin), the worker could not; why. */
  | { t: 'ready'; unpinned?: string }
  | { t: 'startup-error'; message: string; code?: string; stack?: string }
  | { t: 'quiescent' }
  | { t: 'snapshot'; live: number; ready: number; waits: WaitInfo[]; activity: Activity }
  | { t: 'out'; text: string }
  | { t: 'activity'; activity: Activity }
  | { t: 'result'; result: WireResult };

export interface Activity {
  active: number;
  blocked: number;
  done: number;
  sends: number;
}
