// Benchmark component (bench/arena.ts): a non-looper that takes Float64Arrays from a
// port.shared() in-port, checks that the first and last elements carry the same number, sums
// the numbers (int32) and lets the runtime drop each IP (which frees its arena block).
// Params `n` and `skip` and the report: as F64Sink.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock, report, stamp, stamps } from '../_report.ts';

export default defineComponent({
  inPorts: { in: port.shared<Float64Array>(), n: port.number().default(0), skip: port.number().default(0) },
  outPorts: {},
  state: stamps,
  process: {
    in(ip, _out, ctx) {
      if (ip.kind !== 'data') return;
      const v = ip.data;
      const x = v[0];
      if (v[v.length - 1] !== x) throw new Error(`ArenaSink: payload ${x} is torn`);
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
