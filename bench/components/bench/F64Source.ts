// Benchmark component: a looper that emits the numbers 0..N-1 (N from its `count` IIP) through
// an f64 out-port (8 bytes per IP across a worker boundary).
// Optional `max_ms` IIP (0 = none): it stops early once that many ms have passed since it began
// to emit (checked every 4096 IPs), so that a run on a machine too busy for it stays
// time-boxed; the sink then sees fewer than N IPs.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock } from '../_report.ts';

export default defineComponent({
  inPorts: { count: port.number(), max_ms: port.number().optional() },
  outPorts: { out: port.f64() },
  async run({ count, max_ms }, { out }, ctx) {
    let ip = count.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null || ip.kind !== 'data') throw new Error('F64Source: no count');
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
      let r = out.emit(i);
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('F64Source: the connection closed early');
    }
  },
});
