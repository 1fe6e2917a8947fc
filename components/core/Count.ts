/**
 * core/Count: at end of stream, sends the number of data IPs it received (brackets are not
 * counted; an empty stream gives 0).
 *
 *   IN   any
 *   OUT  number
 *
 * Non-looper with per-box state (the running count) and `end`, which sends the one result:
 * nothing here needs to suspend.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Count the data IPs of a stream and send the count at its end',
  inPorts: { in: port.any() },
  outPorts: { out: port.number() },
  state: () => ({ n: 0 }),
  process: {
    in(ip, _out, ctx) {
      if (ip.kind === 'data') ctx.state.n++;
    },
  },
  end(out, ctx) {
    out.out.emit(ctx.state.n);
  },
});
