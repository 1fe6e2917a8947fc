/**
 * Compile-time checks of defineComponent's type inference (run by `tsc` in `npm test`); each
 * `@ts-expect-error` fails the type-check if the error it expects goes away. The runtime part
 * only makes vitest count the file.
 */
import { expect, it } from 'vitest';
import { defineComponent, type Component } from './define.ts';
import { port } from './port.ts';

const NonLooper = defineComponent({
  inPorts: { in: port.string(), size: port.number() },
  outPorts: { out: port.string(), counts: port.number().array() },
  state: () => ({ seen: 0 }),
  process: {
    in(ip, out, ctx) {
      if (ip.kind === 'data') {
        const s: string = ip.data;
        ip.data = s.toUpperCase();
        // @ts-expect-error data on a string port is a string
        ip.data = 5;
      }
      ctx.state.seen++;
      const size: number = ctx.params.size;
      // @ts-expect-error a stream port is not a param
      void ctx.params.in;
      const sent: boolean = out.out.send(ip);
      out.counts[0].emit(size + (sent ? 1 : 0));
      // @ts-expect-error wrong payload type for the port
      out.out.emit(3);
      // @ts-expect-error no such out-port
      void out.nope;
    },
  },
  end(out, ctx) {
    out.counts[0].emit(ctx.state.seen);
  },
});

const Looper = defineComponent({
  inPorts: { in: port.number().array(), flag: port.boolean().optional() },
  outPorts: { out: port.number() },
  async run({ in: inputs, flag }, { out }, ctx) {
    const n: number = inputs.length;
    for (const input of inputs) {
      for (let ip = await input.receive(); ip !== null; ip = await input.receive()) {
        if (ip.kind === 'data') {
          const v: number = ip.data;
          await out.emit(v + n);
          ctx.drop(ip);
        } else {
          await out.send(ip);
        }
      }
    }
    const f = await flag.receive();
    if (f && f.kind === 'data') {
      const b: boolean = f.data;
      void b;
      ctx.drop(f);
    }
    // @ts-expect-error wrong payload type
    await out.emit('x');
  },
});

it('components of both styles are Components', () => {
  const all: Component[] = [NonLooper, Looper];
  expect(all.map((c) => c.style)).toEqual(['non-looper', 'looper']);
});
