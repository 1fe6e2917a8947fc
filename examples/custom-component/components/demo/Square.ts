/**
 * demo/Square: squares each number; brackets are forwarded.
 *
 *   IN   number
 *   OUT  number
 *
 * A non-looper: `process.in` is called once for each IP that arrives on IN. It reuses the
 * received IP (replaces its data and sends it on), so it allocates nothing per IP.
 *
 * A components directory holds `<collection>/<Name>.ts` files whose default export is a
 * component; `weft run --components examples/custom-component/components` makes this one
 * available as `demo/Square`. An application would `import { defineComponent, port } from
 * 'weft'`; this example, living inside the weft repository, imports the source directly.
 */
import { defineComponent, port } from '../../../../src/index.ts';

export default defineComponent({
  description: 'Square each number',
  inPorts: { in: port.number().describe('numbers') },
  outPorts: { out: port.number().describe('their squares') },
  process: {
    in(ip, out) {
      if (ip.kind === 'data') ip.data = ip.data * ip.data;
      out.out.send(ip);
    },
  },
});
