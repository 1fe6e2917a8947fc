/**
 * The scheduler's tuning numbers, in one place. Each says where its value came from; the
 * network options can override the budget, and docs/performance.md records measured effects.
 */

/**
 * Port operations a box may perform in one activation before it goes to the back of the
 * run queue (BEAM's reductions, Effect's MaxOpsBeforeYield). A pass-through box moves at
 * most `capacity` IPs per activation anyway; the budget matters for boxes that read from
 * a deep queue or write into many ports. 1000 was picked as a round number well above the
 * default capacity (10) and below where one box could hold the thread for more than about
 * a tenth of a millisecond with cheap bodies.
 */
export const DEFAULT_BUDGET = 1000;

/**
 * How long the scheduler runs boxes before it gives the event loop a turn (setImmediate),
 * so that timers and I/O of async boxes keep running. 5 ms keeps timer lateness low while
 * the cost of a macrotask turn (0.9–1.4 µs measured here, an idle setImmediate round trip)
 * stays far below 0.1% of the time.
 */
export const YIELD_INTERVAL_MS = 5;

/**
 * The most IPs a non-looper may leave in its outbox in one call (sends into a full
 * connection). Beyond this the component is failing to bound its output and must be written
 * as a looper, which suspends on a full connection. Out of thin air: large enough for
 * Split over many elements or Words over a long line.
 */
export const MAX_OUTBOX = 65536;

/** Default capacity of a connection: Morrison's production default. */
export const DEFAULT_CAPACITY = 10;

/**
 * When the network stops, how long it waits for stopped loopers to finish their `finally`
 * blocks (closing files, flushing) before it reports. A body that swallows E_STOPPED and
 * goes on is not waited for beyond this. Out of thin air: long enough to flush a file.
 */
export const STOP_GRACE_MS = 2000;
