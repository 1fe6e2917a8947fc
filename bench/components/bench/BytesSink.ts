// Benchmark component (bench/arena.ts): ArenaSink's counterpart for port.bytes(): each payload
// arrives as a fresh Uint8Array (a copy); it reads its first and last float64 and sums them as
// ArenaSink does. Params and report: as F64Sink.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock, report, stamp, stamps } from '../_report.ts';

export default defineComponent({
  inPorts: { in: port.bytes(), n: port.number().default(0), skip: port.number().default(0) },
  outPorts: {},
  state: stamps,
  process: {
    in(ip, _out, ctx) {
      if (ip.kind !== 'data') return;
      const b = ip.data;
      const v = new Float64Array(b.buffer, b.byteOffset, b.byteLength >> 3);
      const x = v[0];
      if (v[v.length - 1] !== x) throw new Error(`BytesSink: payload ${x} is torn`);
      const s = ctx.state;
      s.sum = (s.sum + x) | 0;
      if (++s.got === s.next) stamp(s, ctx.params.n, ctx.params.skip);
    },
  },
  end(_out, ctx) {
    const s = ctx.state;
    report(ctx.stdout, 'sink', { got: s.got, sum: s.sum, first: s.first, mark: s.mark, last: s.last, end: clock() });
  },
});
