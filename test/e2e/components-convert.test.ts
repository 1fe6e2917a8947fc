/**
 * `weft components` (text and --json, with components directories) and `weft convert`
 * (json, fbp, dot; round trips; a converted graph runs the same).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText, tempDir, weft } from './weft.ts';

const STANDARD = [
  'core/Batch',
  'core/Concat',
  'core/Count',
  'core/Delay',
  'core/Drop',
  'core/Generate',
  'core/LoadBalance',
  'core/Output',
  'core/ReadLines',
  'core/Repeat',
  'core/Sort',
  'core/Split',
  'core/Take',
  'core/Tally',
  'core/Unbracket',
  'core/WriteLines',
  'text/Upper',
  'text/Words',
];

interface PortInfo {
  name: string;
  type: string;
  array: boolean;
  required: boolean;
}
interface Info {
  name: string;
  kind: string;
  description?: string;
  inPorts: PortInfo[];
  outPorts: PortInfo[];
}

describe.concurrent('weft components', () => {
  it('lists the standard components with their ports', async () => {
    const r = await weft(['components']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const names = r.stdout.split('\n').filter((l) => /^\S/.test(l));
    expect(names).toEqual(STANDARD);
    expect(r.stdout).toContain('core/Output\n  Print each data IP as a line on standard output');
    expect(r.stdout).toMatch(/^core\/Split\n.*\n {2}in: {2}in: any\n {2}out: out\[\]: any$/m);
    expect(r.stdout).toMatch(/^core\/Take\n.*\n {2}in: {2}in: any, count: number\n/m);
  });

  it('--json parses, with ports and their types', async () => {
    const r = await weft(['components', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const infos = JSON.parse(r.stdout) as Info[];
    expect(infos.map((i) => i.name)).toEqual(STANDARD);
    const concat = infos.find((i) => i.name === 'core/Concat')!;
    expect(concat.kind).toBe('component');
    expect(concat.inPorts).toEqual([{ name: 'in', type: 'any', array: true, required: true }]);
    const gen = infos.find((i) => i.name === 'core/Generate')!;
    expect(gen.inPorts).toEqual([{ name: 'count', type: 'number', array: false, required: true }]);
    expect(gen.outPorts.map((p) => [p.name, p.type])).toEqual([['out', 'number']]);
  });

  it('a components directory adds its components', async () => {
    const r = await weft(['components', '--components', 'examples/custom-component/components', '--components', 'examples/brackets/components']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('demo/Square\n  Square each number\n  in:  in: number\n  out: out: number\n');
    expect(r.stdout).toContain('groups/Collect\n');
    const j = await weft(['components', '--json', '--components', 'examples/custom-component/components']);
    const names = (JSON.parse(j.stdout) as Info[]).map((i) => i.name);
    expect(names).toEqual([...STANDARD.slice(0, 16), 'demo/Square', ...STANDARD.slice(16)]);
  });

  // BUG (reported): a components directory holding a subnet (.fbp) crashes `weft components`
  // with an uncaught `WeftError: no subnet loader installed` (E_INTERNAL) and a stack trace,
  // exit 1: components-command.ts calls registry.load() on a registry whose subnetLoader is
  // only installed by load.ts (prepareGraph), which `weft components` never calls.
  it('a components directory with a subnet lists it as a subnet', async () => {
    const r = await weft(['components', '--components', 'examples/subnet/components']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wc/CountWords (subnet)\n  Count the words in a stream of lines\n  in:  in: string\n  out: count: number\n');
  });

  it('a missing components directory: exit 2', async () => {
    const r = await weft(['components', '--components', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('weft: components directory not found: no/such/dir\n');
  });
});

describe.concurrent('weft convert', () => {
  it('--to json: parses, keeps nodes, edges, IIPs and capacities, and round-trips through convert', async () => {
    const t = tempDir({});
    try {
      const r = await weft(['convert', 'examples/deadlock/graph.fbp', '--to', 'json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const g = JSON.parse(r.stdout);
      expect(Object.keys(g.processes)).toEqual(['Gen', 'Split', 'Concat', 'Print']);
      expect(g.processes.Concat.component).toBe('core/Concat');
      expect(g.properties.name).toBe('Deadlock');
      type Conn = { data?: unknown; tgt: { process: string; port: string; index?: number }; metadata?: { capacity?: number } };
      const caps = (g.connections as Conn[]).filter((c) => c.metadata?.capacity !== undefined);
      expect(caps.map((c) => [c.tgt.process, c.tgt.index, c.metadata!.capacity])).toEqual([
        ['Concat', 0, 2],
        ['Concat', 1, 2],
      ]);
      expect(g.connections[0]).toEqual({ data: '10', tgt: { process: 'Gen', port: 'COUNT' } });

      // json -> json is the identity; json -> fbp -> json too. (json -> fbp writes a text IIP
      // as a JSON string, "10" where the source had '10': the same IIP, the same graph.)
      const file = join(t.dir, 'deadlock.json');
      writeFileSync(file, r.stdout);
      const again = await weft(['convert', file, '--to', 'json']);
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(r.stdout);
      const fbp = await weft(['convert', file, '--to', 'fbp']);
      expect(fbp.code).toBe(0);
      expect(fbp.stdout).toContain('Split OUT[1] -(2)-> IN[1] Concat\n');
      writeFileSync(join(t.dir, 'deadlock.fbp'), fbp.stdout);
      const back = await weft(['convert', join(t.dir, 'deadlock.fbp'), '--to', 'json']);
      expect(back.code).toBe(0);
      expect(back.stdout).toBe(r.stdout);
    } finally {
      t.cleanup();
    }
  });

  it('--to fbp keeps the capacity arrows and array indices', async () => {
    const r = await weft(['convert', 'examples/deadlock/graph.fbp', '--to', 'fbp']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Split OUT[0] -(2)-> IN[0] Concat(core/Concat)\n');
    expect(r.stdout).toContain('Split OUT[1] -(2)-> IN[1] Concat\n');
    expect(r.stdout).toContain("'10' -> COUNT Gen(core/Generate)\n");
  });

  it('a JSON graph converted to .fbp, and that .fbp back to JSON, runs to the same output', async () => {
    const t = tempDir({});
    try {
      const fbp = await weft(['convert', 'examples/brackets/graph.json', '--to', 'fbp']);
      expect(fbp.code).toBe(0);
      expect(fbp.stdout).toContain('8 -> COUNT First(core/Take)\n');
      writeFileSync(join(t.dir, 'brackets.fbp'), fbp.stdout);
      const json = await weft(['convert', join(t.dir, 'brackets.fbp'), '--to', 'json']);
      expect(json.code).toBe(0);
      writeFileSync(join(t.dir, 'brackets.json'), json.stdout);
      const expected = readText('examples/brackets/expected.txt');
      const runs = await Promise.all(
        ['brackets.fbp', 'brackets.json'].map((f) => weft(['run', join(t.dir, f), '--components', 'examples/brackets/components'])),
      );
      for (const r of runs) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(expected);
      }
    } finally {
      t.cleanup();
    }
  });

  it('wordcount converted to JSON runs to the same output', async () => {
    const t = tempDir({});
    try {
      const json = await weft(['convert', 'examples/wordcount/graph.fbp', '--to', 'json']);
      expect(json.code).toBe(0);
      writeFileSync(join(t.dir, 'wordcount.json'), json.stdout);
      const r = await weft(['run', join(t.dir, 'wordcount.json')]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readText('examples/wordcount/expected.txt'));
    } finally {
      t.cleanup();
    }
  });

  it('--to dot: a Graphviz digraph with every node and edge', async () => {
    const r = await weft(['convert', 'examples/fan-out-fan-in/graph.fbp', '--to', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^digraph "FanOutFanIn" \{\n/);
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
    for (const n of ['Gen', 'Split', 'All', 'First', 'Total', 'Sort', 'Print']) expect(r.stdout).toContain(`"${n}" [label="${n}\\n(core/`);
    expect(r.stdout).toContain('"Split" -> "All" [label="OUT[0] -> IN"]');
    expect(r.stdout).toContain('"Total" -> "Sort" [label="OUT -> IN"]');
  });

  it('an invalid graph is not converted: diagnostics on stderr, exit 2', async () => {
    const r = await weft(['convert', 'test/e2e/fixtures/missing-arrow.fbp', '--to', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("test/e2e/fixtures/missing-arrow.fbp:3:9: error[E_PARSE]: missing '->' before 'IN'");
  });

  it('convert does not need the components to exist (it only parses)', async () => {
    const r = await weft(['convert', 'examples/subnet/graph.fbp', '--to', 'fbp']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Split OUT[1] -> IN Words(wc/CountWords)\n');
  });
});
