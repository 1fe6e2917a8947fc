/**
 * fz/Types: a do-nothing component for the loader fuzzer. It declares one optional in-port
 * of every port type (and an array port), so that fuzzed IIPs meet every conversion rule in
 * graph/iip-convert.ts. It is never run.
 */
import { defineComponent, port } from '../../../../src/index.ts';

export default defineComponent({
  description: 'Ports of every type, for the loader fuzzer',
  inPorts: {
    any: port.any().optional(),
    str: port.string().optional(),
    num: port.number().optional(),
    flag: port.boolean().optional(),
    obj: port.object().optional(),
    arr: port.array().optional(),
    json: port.json().optional(),
    f64: port.f64().optional(),
    f32: port.f32().optional(),
    i32: port.i32().optional(),
    u32: port.u32().optional(),
    i16: port.i16().optional(),
    u16: port.u16().optional(),
    i8: port.i8().optional(),
    u8: port.u8().optional(),
    bool: port.bool().optional(),
    bytes: port.bytes().optional(),
    point: port.struct({ x: 'f64', y: 'i32', on: 'bool' }).optional(),
    many: port.any().array().optional(),
    need: port.number().default(1),
  },
  outPorts: {
    out: port.any(),
    nums: port.i32().array(),
    point: port.struct({ x: 'f64', y: 'i32', on: 'bool' }),
  },
  process: {
    any(ip, out) {
      out.out.send(ip);
    },
  },
});
