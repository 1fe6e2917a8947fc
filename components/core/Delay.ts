/**
 * core/Delay: forwards each IP (brackets too) MS milliseconds after it received it, one at
 * a time, in order.
 *
 *   IN   any
 *   MS   number   the delay (an IIP; a number >= 0; 0 forwards at once)
 *   OUT  any
 *
 * Looper: it awaits a timer while holding the IP. While it waits the box is running (not
 * blocked), so the network is never taken for deadlocked; the wait ends when the network
 * stops (ctx.signal), and the held IP is then dropped. When OUT closes it closes IN and
 * returns.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { NONE, readParam, showValue, sleep } from '../support.ts';

export default defineComponent({
  description: 'Forward each IP MS milliseconds after it arrives',
  inPorts: {
    in: port.any(),
    ms: port.number().describe('delay in milliseconds'),
  },
  outPorts: { out: port.any() },
  async run({ in: input, ms }, { out }, ctx) {
    const v = await readParam(ms, ctx, 'Delay');
    const delay = v === NONE ? 0 : v;
    if (typeof delay !== 'number' || !(delay >= 0) || delay === Infinity) {
      throw new Error(`Delay: MS must be a finite number >= 0, got ${showValue(delay)}`);
    }
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      if (delay > 0) {
        try {
          await sleep(delay, ctx.signal);
        } catch (e) {
          ctx.drop(ip);
          throw e;
        }
      }
      let ok = out.send(ip);
      if (ok instanceof Promise) ok = await ok;
      if (!ok) {
        input.close();
        return;
      }
    }
  },
});
