/**
 * core/Concat: sends all of IN[0] until its end of stream, then all of IN[1], and so on.
 *
 *   IN[]  any   array port, read in index order (an unconnected element is empty)
 *   OUT   any
 *
 * Looper: it reads one chosen port at a time, which a non-looper (called for whatever
 * arrives) cannot do. Senders on the later elements wait on their full connections
 * meanwhile. When OUT is closed it closes every IN element and returns.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Send all of IN[0], then all of IN[1], and so on',
  inPorts: { in: port.any().array().describe('streams to concatenate, in index order') },
  outPorts: { out: port.any() },
  async run({ in: inputs }, { out }) {
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k];
      for (;;) {
        let ip = input.receive();
        if (ip instanceof Promise) ip = await ip;
        if (ip === null) break;
        let ok = out.send(ip);
        if (ok instanceof Promise) ok = await ok;
        if (!ok) {
          for (const p of inputs) p.close();
          return;
        }
      }
    }
  },
});
