// Benchmark component: a looper that emits `count` IPs {n: i}, the first `first` ms after its
// first activation, then one every `every` ms (timers: the box awaits between IPs and its
// worker has nothing else to do). It reports {bench: 'started', at} when first activated and
// {bench: 'tick', i, at} after the first and the last emit (absolute ms, see _report.ts; only
// those two, so that the reports add no work per IP), then returns (closing its out-port ends
// the network). Waits end early when the network stops.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock, report } from '../_report.ts';

export default defineComponent({
  inPorts: { first: port.number(), every: port.number(), count: port.number() },
  outPorts: { out: port.any() },
  async run(ins, { out }, ctx) {
    report(ctx.stdout, 'started', { at: clock() });
    const param = async (p: (typeof ins)['first']): Promise<number> => {
      let ip = p.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null || ip.kind !== 'data') throw new Error(`Timed: no ${p.name}`);
      const v = ip.data;
      ctx.drop(ip);
      return v;
    };
    const first = await param(ins.first);
    const every = await param(ins.every);
    const count = await param(ins.count);
    for (let i = 0; i < count; i++) {
      await sleep(i === 0 ? first : every, undefined, { signal: ctx.signal }).catch(() => undefined);
      if (ctx.signal.aborted) return;
      let r = out.emit({ n: i });
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('Timed: the connection closed early');
      if (i === 0 || i === count - 1) report(ctx.stdout, 'tick', { i, at: clock() });
    }
  },
});
