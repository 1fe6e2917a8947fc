/**
 * The plain worker_threads rows of bench/arena.ts (started through _boot.mjs): one producer
 * thread and one consumer thread joined by a MessageChannel, so that a payload goes from one
 * worker to another as in the weft rows (not from the main thread).
 *
 *   Both post 'ready' once started.
 *   consumer  on {cmd: 'run', port, n, skip, credit}: answers 'listening', takes n
 *             Float64Arrays from `port`, checks that the first and last elements carry the
 *             same number, sums it (int32), takes the time at payload 1, `skip` and n, and
 *             after each payload adds 1 to
 *             credit[0] (Atomics.notify); then posts {got, sum, first, mark, last, end} to its
 *             parent. If credit[1] > 0 (the producer's time box ran out after credit[1]
 *             payloads) it stops once it has that many.
 *   producer  on {cmd: 'run', port, n, size, window, transfer, credit, maxMs}: posts n payloads
 *             of `size` float64s, writing only the first and last element; at most `window`
 *             not yet consumed (it sleeps on credit[0] otherwise: the flow control a bounded
 *             connection gives). `transfer`: a new Float64Array per payload, its buffer in the
 *             transfer list (moved, not copied; the buffer must be new since the old one is
 *             detached); otherwise one array reused and copied by structured clone.
 * Times are absolute ms (performance.timeOrigin + performance.now()).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

const parent = parentPort!;
const clock = (): number => performance.timeOrigin + performance.now();

interface Run {
  cmd: 'run';
  port: MessagePort;
  n: number;
  skip: number;
  size: number;
  window: number;
  transfer: boolean;
  credit: SharedArrayBuffer;
  maxMs: number;
}

if (workerData.role === 'consumer') {
  parent.on('message', (m: Run) => {
    const credit = new Int32Array(m.credit);
    const skip = Math.max(1, m.skip);
    let got = 0, sum = 0, first = 0, mark = 0, last = 0;
    const done = () => {
      m.port.close();
      parent.postMessage({ got, sum, first, mark, last, end: clock() });
    };
    m.port.on('message', (v: Float64Array) => {
      const x = v[0];
      if (v[v.length - 1] !== x) throw new Error(`consumer: payload ${x} is torn`);
      sum = (sum + x) | 0;
      got++;
      if (got === 1) first = clock();
      if (got === skip) mark = clock();
      if (got === m.n) last = clock();
      Atomics.add(credit, 0, 1);
      Atomics.notify(credit, 0);
      const cut = Atomics.load(credit, 1);
      if (got === m.n || (cut > 0 && got >= cut)) done();
    });
    parent.postMessage('listening');
  });
  parent.postMessage('ready');
} else {
  parent.on('message', (m: Run) => {
    const credit = new Int32Array(m.credit);
    const until = m.maxMs > 0 ? clock() + m.maxMs : 0;
    const reused = new Float64Array(m.size);
    for (let i = 0; i < m.n; ) {
      if ((i & 63) === 0 && i > 0 && until > 0 && clock() > until) {
        Atomics.store(credit, 1, i);
        break;
      }
      const consumed = Atomics.load(credit, 0);
      if (i - consumed >= m.window) {
        Atomics.wait(credit, 0, consumed, 5);
        continue;
      }
      if (m.transfer) {
        const a = new Float64Array(m.size);
        a[0] = i;
        a[m.size - 1] = i;
        m.port.postMessage(a, [a.buffer]);
      } else {
        reused[0] = i;
        reused[m.size - 1] = i;
        m.port.postMessage(reused);
      }
      i++;
    }
    // The consumer closes the channel once it has everything (closing here could drop
    // messages still in flight).
  });
  parent.postMessage('ready');
}
