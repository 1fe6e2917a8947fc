// Benchmark component: a non-looper pass-through (`out.send(ip)`), as bench/_boxes.ts PassNL.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';

export default defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, { out }) {
      out.send(ip);
    },
  },
});
