// Benchmark component: a non-looper that counts decimal-string IPs (port.any(): MessagePack across workers) and sums their numbers (int32).
// Params (IIPs, optional): `n`, the IPs expected, and `skip`. It takes the time (absolute ms on
// its own thread, see _report.ts) when IP number 1, IP number `skip` and IP number `n` arrive
// (one comparison per IP), and at the end of its stream reports
// {got, sum, first, mark, last, end} as a JSON line on ctx.stdout (0 for a time not taken).
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock, report, stamp, stamps } from '../_report.ts';

export default defineComponent({
  inPorts: { in: port.any(), n: port.number().default(0), skip: port.number().default(0) },
  outPorts: {},
  state: stamps,
  process: {
    in(ip, _out, ctx) {
      if (ip.kind !== 'data') return;
      const s = ctx.state;
      s.sum = (s.sum + Number(ip.data as string)) | 0;
      if (++s.got === s.next) stamp(s, ctx.params.n, ctx.params.skip);
    },
  },
  end(_out, ctx) {
    const s = ctx.state;
    report(ctx.stdout, 'sink', { got: s.got, sum: s.sum, first: s.first, mark: s.mark, last: s.last, end: clock() });
  },
});
