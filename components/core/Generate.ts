/**
 * core/Generate: sends the numbers 1..COUNT.
 *
 *   COUNT  number   how many (an IIP; an integer >= 0)
 *   OUT    number   1, 2, ..., COUNT
 *
 * Looper: it sends many IPs from one input, so it must suspend on a full connection. It stops
 * as soon as a send returns false (OUT closed downstream), so `Generate → Take` ends early.
 * Each COUNT received starts a new run (a second COUNT on an edge generates again).
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { NONE, checkInteger, readParam } from '../support.ts';

export default defineComponent({
  description: 'Send the numbers 1..COUNT',
  inPorts: { count: port.number().describe('how many numbers to send') },
  outPorts: { out: port.number() },
  async run({ count }, { out }, ctx) {
    const v = await readParam(count, ctx, 'Generate');
    if (v === NONE) return;
    const n = checkInteger(v, 0, 'Generate', 'count');
    for (let i = 1; i <= n; i++) {
      let ok = out.emit(i);
      if (ok instanceof Promise) ok = await ok;
      if (!ok) return;
    }
  },
});
