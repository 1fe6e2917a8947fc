// Benchmark component: a looper that emits String(i) for i = 0..N-1 (N from its `count` IIP)
// through an `any` out-port (MessagePack across a worker boundary).
// Optional `max_ms` IIP (0 = none): it stops early once that many ms have passed since it began
// to emit (checked every 4096 IPs), so that a run on a machine too busy for it stays
// time-boxed; the sink then sees fewer than N IPs.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock } from '../_report.ts';

export default defineComponent({
  inPorts: { count: port.number(), max_ms: port.number().optional() },
  outPorts: { out: port.any() },
  async run({ count, max_ms }, { out }, ctx) {
    let ip = count.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null || ip.kind !== 'data') throw new Error('StrSource: no count');
    const n = ip.data;
    ctx.drop(ip);
    let until = 0;
    if (max_ms.connected) {
      let d = max_ms.receive();
      if (d instanceof Promise) d = await d;
      if (d !== null && d.kind === 'data') {
        if (d.data > 0) until = clock() + d.data;
        ctx.drop(d);
      }
    }
    for (let i = 0; i < n; i++) {
      if ((i & 4095) === 0 && until > 0 && clock() > until) return;
      let r = out.emit(String(i));
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('StrSource: the connection closed early');
    }
  },
});
