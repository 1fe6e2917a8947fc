// Benchmark component (bench/arena.ts): a looper that emits COUNT Float64Arrays of SIZE
// elements (default 131072: 1 MiB) allocated in the shared arena (ctx.alloc; zero-filled only
// with ZERO), through port.shared(): across workers each moves as a 12-byte handle. It writes
// the payload's number into its first and last element and nothing else, so that what is
// measured is moving the payload, not filling it.
// Optional `max_ms` IIP (0 = none): it stops once that many ms have passed since its first
// payload (checked every 64 payloads), so that a run on a busy machine stays time-boxed.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock } from '../_report.ts';

export default defineComponent({
  inPorts: { count: port.number(), size: port.number().default(131072), zero: port.boolean().default(false), max_ms: port.number().default(0) },
  outPorts: { out: port.shared<Float64Array>() },
  async run(ins, { out }, ctx) {
    const p: Record<string, unknown> = {};
    for (const name of ['count', 'size', 'zero', 'max_ms'] as const) {
      const port = ins[name];
      if (!port.connected) continue;
      const ip = await port.receive();
      if (ip !== null) {
        p[name] = ip.data;
        ctx.drop(ip);
      }
    }
    const n = p.count as number;
    const size = (p.size as number | undefined) ?? 131072;
    const zero = (p.zero as boolean | undefined) ?? false;
    const maxMs = (p.max_ms as number | undefined) ?? 0;
    const until = maxMs > 0 ? clock() + maxMs : 0;
    for (let i = 0; i < n; i++) {
      if ((i & 63) === 0 && until > 0 && clock() > until) return;
      const v = ctx.alloc(Float64Array, size, { zero });
      v[0] = i;
      v[size - 1] = i;
      let r = out.emit(v);
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('ArenaSource: the connection closed early');
    }
  },
});
