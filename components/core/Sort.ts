/**
 * core/Sort: at end of stream, sends every data value it received, sorted; brackets are
 * dropped.
 *
 *   IN   any
 *   OUT  any
 *
 * Order: when every value is a number, numerically (NaN last); otherwise every value is
 * ordered by its text with plain `<` (code unit order, not locale order): strings as-is,
 * objects and arrays by JSON.stringify (String() would make them all "[object Object]"),
 * other values by String(). The sort is stable: equal keys keep their arrival order.
 *
 * Looper: it sends the whole stream at the end, so it must suspend on a full connection.
 * It keeps the values (not the IPs) until then; it stops early if OUT closes.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { compareNumbers, compareStrings, orderKey } from '../support.ts';

export default defineComponent({
  description: 'Sort the data values of a stream (numbers numerically, others as text)',
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  async run({ in: input }, { out }, ctx) {
    const values: unknown[] = [];
    let allNumbers = true;
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) break;
      if (ip.kind === 'data') {
        const v = ip.data;
        if (typeof v !== 'number') allNumbers = false;
        values.push(v);
      }
      ctx.drop(ip);
    }
    let sorted: unknown[];
    if (allNumbers) {
      sorted = (values as number[]).sort(compareNumbers);
    } else {
      const keyed = values.map((value) => ({ key: orderKey(value), value }));
      keyed.sort((a, b) => compareStrings(a.key, b.key));
      sorted = keyed.map((k) => k.value);
    }
    for (let i = 0; i < sorted.length; i++) {
      let ok = out.emit(sorted[i]);
      if (ok instanceof Promise) ok = await ok;
      if (!ok) return;
    }
  },
});
