/**
 * Bad input refused: components that cannot be loaded or are declared wrongly, and graph
 * metadata or IIPs of the wrong type, each through the real `weft run` on one thread and on
 * two workers. Every case must end with exit code 2, nothing on stdout, a message on stderr
 * that names what is wrong and where (the component's file, or file:line:col / the JSON path
 * in the graph), and no stack trace (an internal error on user input is a bug).
 *
 * Bad CLI usage, missing graph files and directories, graph syntax and validation errors,
 * modules that throw while loading and default exports that are not components are covered
 * by test/e2e/run.test.ts and test/e2e/check.test.ts; the loaders are fuzzed by test/fuzz.
 */
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, weft, WEFT_SRC } from '../e2e/weft.ts';

const head = `import { defineComponent, port } from '${WEFT_SRC}';\n`;
const component = (spec: string) => `${head}export default defineComponent(${spec} as any);\n`;

const files: Record<string, string> = {
  // A component's syntax error: esbuild's message with the position in the file.
  'c/x/Syntax.ts': `${head}export default defineComponent({ inPorts: { in: port.any() }, outPorts: {},\n`,
  'c/x/NotAPort.ts': component(`{ inPorts: { in: 42 }, outPorts: {}, async run() {} }`),
  'c/x/UnknownType.ts': component(`{ inPorts: { in: { type: 'nonsense', isArray: false, required: true } }, outPorts: {}, async run() {} }`),
  'c/x/Inherited.ts': component(`{ inPorts: { in: port.any() }, outPorts: {}, process: { toString(ip: any, out: any, ctx: any) { ctx.drop(ip); } } }`),
  'c/x/Both.ts': component(`{ inPorts: { in: port.any() }, outPorts: {}, async run() {}, process: { in() {} } }`),
  'c/x/Neither.ts': component(`{ inPorts: { in: port.any() }, outPorts: {} }`),
  'c/x/Upper.ts': component(`{ inPorts: { In: port.any() }, outPorts: {}, async run() {} }`),
  'c/x/NoPorts.ts': component(`{ inPorts: null, outPorts: {}, async run() {} }`),
  'c/x/BadStruct.ts': component(`{ inPorts: { in: { type: 'struct', isArray: false, required: true } }, outPorts: {}, async run() {} }`),
  'c/x/Unreadable.ts': component(`{ inPorts: { in: port.any() }, outPorts: {}, async run() {} }`),
  'c/x/Sink.ts': component(`{ inPorts: { in: port.any() }, outPorts: {}, process: { in(ip: any, out: any, ctx: any) { ctx.drop(ip); } } }`),
  'budget.fbp': `'3' -> COUNT G(core/Generate:budget=0) OUT -> IN O(core/Output)\n`,
  'timeout.fbp': `'3' -> COUNT G(core/Generate) OUT -> IN O(core/Output:timeout=soon)\n`,
  'parallel.fbp': `'3' -> COUNT G(core/Generate) OUT -> IN O(core/Output:parallel=zz)\n`,
  'iip.json': JSON.stringify({
    processes: { G: { component: 'core/Generate' }, O: { component: 'core/Output' } },
    connections: [
      { data: 'abc', tgt: { process: 'G', port: 'count' } },
      { src: { process: 'G', port: 'out' }, tgt: { process: 'O', port: 'in' } },
    ],
  }),
  'capacity.json': JSON.stringify({
    processes: { G: { component: 'core/Generate' }, O: { component: 'core/Output' } },
    connections: [
      { data: 3, tgt: { process: 'G', port: 'count' } },
      { src: { process: 'G', port: 'out' }, tgt: { process: 'O', port: 'in' }, metadata: { capacity: 'lots' } },
    ],
  }),
};
for (const name of ['Syntax', 'NotAPort', 'UnknownType', 'Inherited', 'Both', 'Neither', 'Upper', 'NoPorts', 'BadStruct', 'Dangling', 'Dir', 'Unreadable']) {
  files[`${name}.fbp`] = `'1' -> ${name === 'Upper' ? 'In' : 'IN'} A(x/${name})\n`;
}
files['ok.fbp'] = `'1' -> IN A(x/Sink)\n`;
const tmp = tempDir(files);
symlinkSync(join(tmp.dir, 'c/x/missing-target.ts'), join(tmp.dir, 'c/x/Dangling.ts'));
mkdirSync(join(tmp.dir, 'c/x/Dir.ts'));
chmodSync(join(tmp.dir, 'c/x/Unreadable.ts'), 0o000);
afterAll(() => tmp.cleanup());

const asRoot = process.getuid?.() === 0;

const componentCases: [string, RegExp][] = [
  ['Syntax', /cannot load component x\/Syntax from \S*Syntax\.ts: .*\n.*Syntax\.ts:\d+:\d+: ERROR: /],
  ['NotAPort', /cannot load component x\/NotAPort from \S*NotAPort\.ts: defineComponent: inPorts\.in is not a port declaration/],
  ['UnknownType', /x\/UnknownType .*: defineComponent: inPorts\.in has the unknown type 'nonsense'/],
  ['Inherited', /x\/Inherited .*: defineComponent: process\.toString: no in-port named toString/],
  ['Both', /x\/Both .*: defineComponent: give exactly one of `run` \(looper\) or `process` \(non-looper\)/],
  ['Neither', /x\/Neither .*: defineComponent: give exactly one of `run`/],
  ['Upper', /x\/Upper .*: defineComponent: inPorts\.In: port names are lower case letters, digits and _/],
  ['NoPorts', /x\/NoPorts .*: defineComponent: inPorts must be an object of port declarations/],
  ['BadStruct', /x\/BadStruct .*: defineComponent: inPorts\.in: a struct port needs its fields/],
  ['Dangling', /cannot load component x\/Dangling from \S*Dangling\.ts: it is a link to a file that does not exist/],
  ['Dir', /cannot load component x\/Dir from \S*Dir\.ts: it is a directory, not a module/],
];
if (!asRoot) componentCases.push(['Unreadable', /cannot load component x\/Unreadable from \S*Unreadable\.ts: .*(EACCES|permission denied)/i]);

const graphCases: [string, RegExp][] = [
  ['budget.fbp', /budget\.fbp:1:\d+: node G: metadata budget must be a positive integer, got "0"/],
  ['timeout.fbp', /timeout\.fbp:1:\d+: node O: metadata timeout must be a positive number of milliseconds, got "soon"/],
  ['parallel.fbp', /parallel\.fbp:1:\d+: node O: metadata parallel must be an integer in 1\.\.1024 or 'auto', got "zz"/],
  ['iip.json', /iip\.json:1:\d+: connections\[0\]: error\[E_IIP\]: IIP for G\.count: 'abc' is not a number/],
  ['capacity.json', /capacity\.json:1:\d+: connections\[1\]\.metadata\.capacity: error\[E_CAPACITY\]: capacity must be a positive integer, got "lots"/],
];

async function refused(graph: string, workers: number, message: RegExp): Promise<void> {
  const r = await weft(['run', graph, '--components', 'c', '--workers', String(workers)], { cwd: tmp.dir });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/TypeError|ReferenceError|E_INTERNAL/);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

describe.concurrent('bad input: exit 2, what and where on stderr, nothing run', () => {
  for (const workers of [1, 2]) {
    for (const [name, message] of componentCases) {
      it(`component x/${name}, ${workers} worker${workers > 1 ? 's' : ''}`, () => refused(`${name}.fbp`, workers, message));
    }
    for (const [file, message] of graphCases) {
      it(`${file}, ${workers} worker${workers > 1 ? 's' : ''}`, () => refused(file, workers, message));
    }
  }

  it('the same directory with a sound component runs (the fixtures are not broken as a whole)', async () => {
    const r = await weft(['run', 'ok.fbp', '--components', 'c'], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
