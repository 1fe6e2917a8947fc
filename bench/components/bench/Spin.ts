// Benchmark component: a stateless non-looper that spends `iter` steps of arithmetic on each
// f64 IP (see _spin.ts) and passes the number on unchanged, so the sink's checksum still holds.
// What it computed is kept in its state (a parallel node's replicas each have their own).
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { spin } from '../_spin.ts';

export default defineComponent({
  inPorts: { in: port.f64(), iter: port.number().default(1000) },
  outPorts: { out: port.f64() },
  state: () => ({ acc: 0 }),
  process: {
    in(ip, out, ctx) {
      if (ip.kind !== 'data') {
        out.out.send(ip);
        return;
      }
      ctx.state.acc ^= spin(ip.data, ctx.params.iter);
      out.out.send(ip);
    },
  },
});
