/**
 * core/Split: sends every IP to every connected element of OUT (brackets too).
 *
 *   IN     any
 *   OUT[]  any   array port; unconnected or closed elements are skipped
 *
 * The original IP goes to the last live element and copies to the others, so each receiver
 * owns an independent value: primitives are copied as they are, objects with
 * structuredClone (a value it cannot clone, such as a function, fails the box).
 *
 * Looper, so that it suspends on a full element and, once every element is closed, closes IN
 * and returns (early close propagates upstream, as in Generate → Split → Take).
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

function copy(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? structuredClone(v) : v;
}

export default defineComponent({
  description: 'Send a copy of every IP to each connected OUT element',
  inPorts: { in: port.any() },
  outPorts: { out: port.any().array().describe('receivers; each gets its own copy') },
  async run({ in: input }, { out: outs }, ctx) {
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      let last = outs.length - 1;
      while (last >= 0 && (!outs[last].connected || outs[last].closed)) last--;
      if (last < 0) {
        ctx.drop(ip);
        input.close();
        return;
      }
      for (let i = 0; i < last; i++) {
        const o = outs[i];
        if (!o.connected || o.closed) continue;
        const c = ip.kind === 'data' ? ctx.create(copy(ip.data)) : ip.kind === 'open' ? ctx.openBracket(ip.data) : ctx.closeBracket(ip.data);
        const ok = o.send(c);
        if (ok instanceof Promise) await ok;
      }
      const ok = outs[last].send(ip);
      if (ok instanceof Promise) await ok;
    }
  },
});
