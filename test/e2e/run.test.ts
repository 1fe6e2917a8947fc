/**
 * `weft run` outcomes other than the examples': a box that fails (exit 1), a stall (exit 3),
 * an early end (Generate 10,000,000 -> Take 3), and usage errors (exit 2). The failing and
 * stalling components live in temporary components directories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { start, tempDir, until, weft, WEFT_SRC } from './weft.ts';

const BOOM = `
import { defineComponent, port } from '${WEFT_SRC}';
// A non-looper that fails on the number 3.
export default defineComponent({
  inPorts: { in: port.number() },
  outPorts: { out: port.number() },
  process: {
    in(ip, out) {
      if (ip.kind === 'data' && ip.data === 3) throw new Error('three is not allowed');
      out.out.send(ip);
    },
  },
});
`;

const LOOPER_BOOM = `
import { defineComponent, port } from '${WEFT_SRC}';
// A looper that fails after forwarding two IPs.
export default defineComponent({
  inPorts: { in: port.number() },
  outPorts: { out: port.number() },
  async run({ in: input }, { out }) {
    for (let n = 0; ; n++) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      if (n === 2) { input.close(); throw new TypeError('looper gave up'); }
      const ok = out.send(ip);
      if (ok instanceof Promise) await ok;
    }
  },
});
`;

const HANG = `
import { defineComponent, port } from '${WEFT_SRC}';
// A looper awaiting a promise that nothing settles.
export default defineComponent({
  inPorts: { in: port.number() },
  outPorts: { out: port.number() },
  async run() {
    await new Promise(() => {});
  },
});
`;

const gen = (count: number, middle: string) =>
  `'${count}' -> COUNT Gen(core/Generate)\nGen OUT -> IN ${middle} OUT -> IN Print(core/Output)\n`;

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir({
    'comps/bad/Boom.ts': BOOM,
    'comps/bad/LooperBoom.ts': LOOPER_BOOM,
    'comps/bad/Hang.ts': HANG,
    'fail.fbp': gen(5, 'B(bad/Boom)'),
    'looper-fail.fbp': gen(5, 'L(bad/LooperBoom)'),
    'stall.fbp': gen(5, 'H(bad/Hang)'),
    'take.fbp': `'10000000' -> COUNT Gen(core/Generate)\n'3' -> COUNT First(core/Take)\nGen OUT -> IN First OUT -> IN Print(core/Output)\n`,
    'take-repeat.fbp': `'10000000' -> COUNT Gen(core/Generate)\n'3' -> COUNT First(core/Take)\nGen OUT -> IN R(core/Repeat) OUT -> IN First OUT -> IN Print(core/Output)\n`,
  });
});
afterAll(() => t.cleanup());

const at = (f: string) => join(t.dir, f);

describe.concurrent('weft run', () => {
  it('a box that throws: exit 1, stderr names the box, its component and the message', async () => {
    const r = await weft(['run', at('fail.fbp'), '--components', at('comps')]);
    expect(r.code).toBe(1);
    // The default is a worker per core: with several, the report names the box's worker.
    expect(r.stderr).toMatch(/^weft: box B \(bad\/Boom\)(?: on worker \d+)? failed: three is not allowed$/m);
    // What was printed before the failure is a prefix of 1, 2.
    expect('1\n2\n'.startsWith(r.stdout)).toBe(true);
  });

  it('a looper that throws: exit 1, the error class and message', async () => {
    const r = await weft(['run', at('looper-fail.fbp'), '--components', at('comps')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^weft: box L \(bad\/LooperBoom\)(?: on worker \d+)? failed: .*looper gave up$/m);
    expect('1\n2\n'.startsWith(r.stdout)).toBe(true);
  });

  it('a looper awaiting a promise nothing settles: a stall, exit 3, naming the box', async () => {
    const r = await weft(['run', at('stall.fbp'), '--components', at('comps')], { timeoutMs: 10_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/stalled/);
    expect(r.stderr).toContain('H (bad/Hang)');
  });

  // Wall-clock bounds are loose (the suite runs many processes at once on few cores); what
  // shows that the network ended early is the count of IPs Generate sent, and the network's
  // own elapsed time in the stats.
  it('Generate 10,000,000 -> Take 3 -> Output prints 1 2 3 and ends at once', async () => {
    const r = await weft(['run', at('take.fbp'), '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n2\n3\n');
    expect(r.ms).toBeLessThan(10_000);
    expect(networkMs(r.stderr)).toBeLessThan(2000);
    expect(sentBy('Gen', r.stderr)).toBeLessThan(1000);
  });

  it('the early close travels upstream through a non-looper too (Generate -> Repeat -> Take 3)', async () => {
    const r = await weft(['run', at('take-repeat.fbp'), '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n2\n3\n');
    expect(r.ms).toBeLessThan(10_000);
    expect(networkMs(r.stderr)).toBeLessThan(2000);
    expect(sentBy('Gen', r.stderr)).toBeLessThan(1000);
  });
});

/** The network's run time from the first line of --stats (`weft stats: 12 ms, ...`). */
function networkMs(stderr: string): number {
  const m = /^weft stats: ([\d.]+) (ms|s),/m.exec(stderr);
  if (!m) throw new Error(`no stats line in:\n${stderr}`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

/** The `out` column of a box's row in the --stats box table. */
function sentBy(box: string, stderr: string): number {
  const m = new RegExp(`^${box} +\\S+ +\\w+ +\\d+ +(\\d+)`, 'm').exec(stderr);
  if (!m) throw new Error(`no stats row for ${box} in:\n${stderr}`);
  return Number(m[1]);
}

describe.concurrent('usage errors: exit 2, a message on stderr, nothing on stdout', () => {
  const cases: [string, string[], RegExp][] = [
    ['run without a graph', ['run'], /missing required argument 'graph'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['--capacity 0', ['run', 'examples/wordcount/graph.fbp', '--capacity', '0'], /--capacity must be an integer in 1\.\.1048576, got '0'/],
    ['--capacity abc', ['run', 'examples/wordcount/graph.fbp', '--capacity', 'abc'], /--capacity must be an integer in 1\.\.1048576, got 'abc'/],
    ['--capacity 1.5', ['run', 'examples/wordcount/graph.fbp', '--capacity', '1.5'], /--capacity must be an integer/],
    ['--capacity 5000000', ['run', 'examples/wordcount/graph.fbp', '--capacity', '5000000'], /--capacity must be an integer in 1\.\.1048576/],
    ['--budget -1', ['run', 'examples/wordcount/graph.fbp', '--budget', '-1'], /--budget must be an integer/],
    ['an unknown option', ['run', 'examples/wordcount/graph.fbp', '--capcity', '3'], /unknown option '--capcity'/],
    ['a missing graph file', ['run', 'no/such/graph.fbp'], /^weft: cannot read graph no\/such\/graph\.fbp: no such file$/m],
    ['check of a missing graph file', ['check', 'no/such/graph.fbp'], /cannot read graph no\/such\/graph\.fbp: no such file/],
    ['a directory as the graph', ['run', 'examples'], /cannot read graph examples: it is a directory/],
    ['a missing components directory', ['run', 'examples/wordcount/graph.fbp', '--components', 'no/such/dir'], /components directory not found: no\/such\/dir/],
    ['convert --to xml', ['convert', 'examples/wordcount/graph.fbp', '--to', 'xml'], /--to must be json, fbp or dot, got 'xml'/],
    ['convert without --to', ['convert', 'examples/wordcount/graph.fbp'], /required option '--to <format>' not specified/],
    ['convert of a missing file', ['convert', 'no/such/graph.fbp', '--to', 'json'], /cannot read graph no\/such\/graph\.fbp/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await weft(args);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.code).toBe(2);
    });
  }

  it('--help prints the usage on stdout with exit 0', async () => {
    const r = await weft(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: weft/);
    for (const cmd of ['run', 'check', 'components', 'convert']) expect(r.stdout).toContain(cmd);
  });

  it('--version prints the package version with exit 0', async () => {
    const r = await weft(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  // `weft` with no command prints the help on stderr: a usage error (2).
  it('weft with no command is a usage error (exit 2)', async () => {
    const r = await weft([]);
    expect(r.stderr).toMatch(/Usage: weft/);
    expect(r.code).toBe(2);
  });
});

describe.concurrent('components directories outside an ES module package', () => {
  // A component file in a directory with no package.json saying "type": "module" is loaded
  // by Node as CommonJS; the command registers tsx's CommonJS hooks too, so that works.
  it('a TypeScript component loads from a directory without package.json', async () => {
    const d = tempDir({ 'comps/bad/Boom.ts': BOOM, 'fail.fbp': gen(5, 'B(bad/Boom)') }, false);
    try {
      const r = await weft(['run', join(d.dir, 'fail.fbp'), '--components', join(d.dir, 'comps')]);
      expect(r.stderr).not.toContain('Cannot require() ES Module');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^weft: box B \(bad\/Boom\)(?: on worker \d+)? failed: three is not allowed$/m);
    } finally {
      d.cleanup();
    }
  });

  it('a TypeScript component on a worker, with and without the worker bundle', async () => {
    const graph = `'5' -> COUNT G(core/Generate:worker=0) OUT -> IN B(bad/Boom:worker=1) OUT -> IN P(core/Output:worker=0)\n`;
    const d = tempDir({ 'comps/bad/Boom.ts': BOOM, 'fail.fbp': graph }, false);
    try {
      for (const bundle of ['1', '0']) {
        const r = await weft(['run', join(d.dir, 'fail.fbp'), '--workers', '2', '--components', join(d.dir, 'comps')], { env: { WEFT_BUNDLE: bundle } });
        expect(r.code, `WEFT_BUNDLE=${bundle}`).toBe(1);
        expect(r.stdout).toBe('1\n2\n');
        expect(r.stderr).toMatch(/^weft: box B \(bad\/Boom\) on worker 1 failed: three is not allowed$/m);
        // The runtime's frames name its sources, not the bundle.
        expect(r.stderr).toMatch(/at \S+ \(.*src\/scheduler\/activate\.ts:\d+:\d+\)/);
      }
    } finally {
      d.cleanup();
    }
  });

  it("a component gets weft's API from the bundle that runs it, on the main thread and on a worker", async () => {
    const WHERE = `
import { defineComponent, port } from '${WEFT_SRC}';
export default defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: { in(ip, out) { if (ip.kind === 'data') ip.data = import.meta.resolve('${WEFT_SRC}'); out.out.send(ip); } },
});
`;
    const d = tempDir({ 'comps/t/Where.ts': WHERE, 'g.fbp': `'1' -> COUNT G(core/Generate) OUT -> IN W(t/Where:worker=1) OUT -> IN P(core/Output:worker=0)\n` });
    try {
      for (const workers of ['1', '2']) {
        const bundled = await weft(['run', join(d.dir, 'g.fbp'), '--workers', workers, '--components', join(d.dir, 'comps')]);
        expect(bundled.code, bundled.stderr).toBe(0);
        expect(bundled.stdout).toMatch(/^file:\/\/.*\/weft-[^/]+\/bundle-[0-9a-f]+\.mjs\n$/);
        const sources = await weft(['run', join(d.dir, 'g.fbp'), '--workers', workers, '--components', join(d.dir, 'comps')], { env: { WEFT_BUNDLE: '0' } });
        expect(sources.stdout).toBe(`${WEFT_SRC}\n`);
      }
    } finally {
      d.cleanup();
    }
  });

  it('a slow stream on a worker is printed as it comes (output is gathered, not held)', async () => {
    const graph = `'2' -> COUNT G(core/Generate:worker=0) OUT -> IN D(core/Delay:worker=1) OUT -> IN P(core/Output:worker=1)\n'1500' -> MS D\n`;
    const d = tempDir({ 'slow.fbp': graph });
    try {
      const p = start(['run', join(d.dir, 'slow.fbp'), '--workers', '2'], { timeoutMs: 20_000 });
      await until(() => p.stdout.length > 0, 15_000, 'the first line');
      // The second IP leaves Delay 1.5 s after the first: the first line came on its own.
      expect(p.stdout).toBe('1\n');
      const r = await p.done;
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('1\n2\n');
    } finally {
      d.cleanup();
    }
  });

  it('.mjs and .js components load too', async () => {
    const TWICE = `
import { defineComponent, port } from '${WEFT_SRC}';
export default defineComponent({
  inPorts: { in: port.number() },
  outPorts: { out: port.number() },
  process: { in(ip, out) { if (ip.kind === 'data') ip.data = ip.data * 2; out.out.send(ip); } },
});
`;
    const graph = `'3' -> COUNT G(core/Generate) OUT -> IN A(demo/TwiceM) OUT -> IN B(demo/TwiceJ) OUT -> IN P(core/Output)\n`;
    const d = tempDir({ 'comps/demo/TwiceM.mjs': TWICE, 'comps/demo/TwiceJ.js': TWICE, 'g.fbp': graph });
    try {
      const r = await weft(['run', join(d.dir, 'g.fbp'), '--components', join(d.dir, 'comps')]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('4\n8\n12\n');
      expect(r.code).toBe(0);
    } finally {
      d.cleanup();
    }
  });

  it('an .mts component loads from a directory without package.json', async () => {
    const d = tempDir({ 'comps/bad/Boom.mts': BOOM, 'fail.fbp': gen(5, 'B(bad/Boom)') }, false);
    try {
      const r = await weft(['run', join(d.dir, 'fail.fbp'), '--components', join(d.dir, 'comps')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^weft: box B \(bad\/Boom\)(?: on worker \d+)? failed: three is not allowed$/m);
    } finally {
      d.cleanup();
    }
  });

  it('a module whose default export is not a component: exit 2 with the file named', async () => {
    const d = tempDir({ 'comps/bad/Nope.ts': 'export default 42;\n', 'g.fbp': 'X(bad/Nope)\n' });
    try {
      const r = await weft(['check', join(d.dir, 'g.fbp'), '--components', join(d.dir, 'comps')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${join(d.dir, 'comps/bad/Nope.ts')}: the default export is not a component`);
    } finally {
      d.cleanup();
    }
  });

  it('a module that throws while loading: exit 2, the component and file named', async () => {
    const d = tempDir({ 'comps/bad/Broken.ts': "throw new Error('broken on purpose');\nexport default 1;\n", 'g.fbp': 'X(bad/Broken)\n' });
    try {
      const r = await weft(['run', join(d.dir, 'g.fbp'), '--components', join(d.dir, 'comps')]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`weft: cannot load component bad/Broken from ${join(d.dir, 'comps/bad/Broken.ts')}: broken on purpose`);
    } finally {
      d.cleanup();
    }
  });
});
