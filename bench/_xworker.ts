/**
 * The consumer thread of cross-worker.ts's plain-worker_threads rows (started through
 * _boot.mjs). One mode per worker (workerData.mode):
 *
 *   postmsg  count `{n}` messages, or arrays of them (batches), from parentPort; after
 *            {cmd: 'start', n, skip} it takes the time at message 1, at `skip` and at `n` and
 *            then posts {got, sum, first, mark, last}. As peers-bench 06 (no flow control).
 *   ring     on {cmd: 'ring', init, n, skip, batch}: read n f64 records from a src/shm/ring.ts
 *            ring (RingReader: hasRecord, peekHeader, getFloat64, consume, takeTxWaiting, as
 *            RingReceiveEnd does per IP), spinning while it is empty, then post the same.
 *            `stop` (an Int32 in shared memory): when the producer's time box ran out it stores
 *            how many records it wrote; the reader stops once it has read them all.
 *            batch > 1 (information): the same reads, but the head counters are published once
 *            per `batch` records and before spinning, not per record (RingReader's private
 *            head fields are advanced here), to show what batched publication would give.
 * Times are absolute ms (performance.timeOrigin + performance.now()) taken on this thread.
 * The sums are int32 checksums of n, as every sink computes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingReader, type RingInit } from '../src/shm/ring.ts';

const port = parentPort!;
const clock = (): number => performance.timeOrigin + performance.now();
const sleepWord = new Int32Array(new SharedArrayBuffer(4));
/** As peers-bench 06: spin, and after SPIN_LIMIT failed polls in a row sleep 10 µs. */
const SPIN_LIMIT = 20_000;

interface Times {
  first: number;
  mark: number;
  /** The count at `mark` (batches: the first batch that reached `skip`). */
  markGot: number;
  last: number;
}

if (workerData.mode === 'postmsg') {
  let got = 0, sum = 0, n = 0, skip = 1, next = 1;
  let t: Times = { first: 0, mark: 0, markGot: 0, last: 0 };
  /** Called once `got` reached `next`: the time(s) due, then the next count to stop at. */
  const stamp = () => {
    const now = clock();
    if (t.first === 0) t.first = now;
    if (t.mark === 0 && got >= skip) {
      t.mark = now;
      t.markGot = got;
    }
    if (got >= n) {
      t.last = now;
      next = Infinity;
      port.postMessage({ got, sum, ...t });
      return;
    }
    next = t.mark === 0 ? skip : n;
  };
  port.on('message', (m: { cmd: 'start'; n: number; skip: number } | { n: number } | { n: number }[]) => {
    if (Array.isArray(m)) {
      for (let i = 0; i < m.length; i++) sum = (sum + m[i].n) | 0;
      got += m.length;
    } else if ('cmd' in m) {
      got = sum = 0;
      n = m.n;
      skip = Math.max(1, m.skip);
      next = 1;
      t = { first: 0, mark: 0, markGot: 0, last: 0 };
      return;
    } else {
      sum = (sum + m.n) | 0;
      got++;
    }
    if (got >= next) stamp();
  });
} else if (workerData.mode === 'ring') {
  port.on('message', (m: { cmd: 'ring'; init: RingInit; n: number; skip: number; batch: number; stop: SharedArrayBuffer }) => {
    const stop = new Int32Array(m.stop);
    /** The producer stopped early (its deadline) and all it wrote has been read. */
    const stopped = (got: number) => {
      const k = Atomics.load(stop, 0);
      return k > 0 && got >= k;
    };
    const r = new RingReader(m.init);
    const view = r.view;
    const n = m.n, skip = Math.max(1, m.skip);
    const t: Times = { first: 0, mark: 0, markGot: skip, last: 0 };
    let got = 0, sum = 0, spins = 0;
    if (m.batch <= 1) {
      while (got < n) {
        if (!r.hasRecord()) {
          if (stopped(got)) break;
          if (++spins > SPIN_LIMIT) Atomics.wait(sleepWord, 0, 0, 0.01);
          continue;
        }
        spins = 0;
        r.peekHeader();
        sum = (sum + view.getFloat64(r.payloadOffset, true)) | 0;
        r.consume(8, true);
        r.publishHead();
        r.takeTxWaiting();
        got++;
        if (got === 1) t.first = clock();
        if (got === skip) t.mark = clock();
      }
    } else {
      // (info) the head counters published once per `batch` records, and before waiting.
      let unpublished = 0;
      const publish = () => {
        r.publishHead();
        r.takeTxWaiting(); // the waiting flag, once per publication
        unpublished = 0;
      };
      while (got < n) {
        if (!r.hasRecord()) {
          if (unpublished > 0) publish();
          if (stopped(got)) break;
          if (++spins > SPIN_LIMIT) Atomics.wait(sleepWord, 0, 0, 0.01);
          continue;
        }
        spins = 0;
        r.peekHeader();
        sum = (sum + view.getFloat64(r.payloadOffset, true)) | 0;
        r.consume(8, true);
        if (++unpublished === m.batch) publish();
        got++;
        if (got === 1) t.first = clock();
        if (got === skip) t.mark = clock();
      }
      publish();
    }
    t.last = clock();
    port.postMessage({ got, sum, ...t });
  });
}

/** ring.ts's control word indices (not exported there), for the batched (info) variant. */
port.postMessage({ ready: true });
