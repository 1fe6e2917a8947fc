/**
 * core/Tally: at end of stream, sends one `{ value, count }` per distinct data value, most
 * frequent first; brackets are dropped.
 *
 *   IN   any
 *   OUT  object   { value: v, count: n }
 *
 * Distinct: primitives by value (1 and "1" differ; NaN equals NaN), objects and arrays by
 * JSON.stringify (the first one seen is the `value` sent). Order: count descending, then
 * value ascending, where numbers come first, in numeric order, and every other value
 * follows, ordered by its text with plain `<` (strings as-is, objects as JSON, the rest by
 * String()); values that tie there too ([1] and "[1]") keep their order of first
 * appearance. Numbers-first keeps the order total: comparing a number with a string by
 * text but two numbers numerically would not be transitive (2 < 10 < "1a" < 2).
 *
 * Looper: it sends one IP per distinct value at the end, so it must suspend on a full
 * connection; it stops early if OUT closes.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { compareNumbers, compareStrings, orderKey, showValue } from '../support.ts';

interface Entry {
  value: unknown;
  count: number;
}

export interface TallyItem {
  value: unknown;
  count: number;
}

function compareValues(a: unknown, b: unknown): number {
  const an = typeof a === 'number';
  const bn = typeof b === 'number';
  if (an && bn) return compareNumbers(a, b);
  if (an) return -1;
  if (bn) return 1;
  return compareStrings(orderKey(a), orderKey(b));
}

export default defineComponent({
  description: 'Count each distinct data value; send { value, count } by count descending',
  inPorts: { in: port.any() },
  outPorts: { out: port.object<TallyItem>() },
  async run({ in: input }, { out }, ctx) {
    const primitives = new Map<unknown, Entry>();
    const objects = new Map<string, Entry>();
    const entries: Entry[] = []; // in order of first appearance, which breaks full ties
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) break;
      if (ip.kind === 'data') {
        const v = ip.data;
        const isObject = v !== null && typeof v === 'object';
        const map: Map<unknown, Entry> = isObject ? objects : primitives;
        const key = isObject ? showValue(v) : v;
        const e = map.get(key);
        if (e !== undefined) e.count++;
        else {
          const entry = { value: v, count: 1 };
          map.set(key, entry);
          entries.push(entry);
        }
      }
      ctx.drop(ip);
    }
    entries.sort((a, b) => b.count - a.count || compareValues(a.value, b.value));
    for (let i = 0; i < entries.length; i++) {
      let ok = out.emit(entries[i]);
      if (ok instanceof Promise) ok = await ok;
      if (!ok) return;
    }
  },
});
