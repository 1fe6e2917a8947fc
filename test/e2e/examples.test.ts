/**
 * Every example in examples/ run through the real command, with the command line its README
 * gives: exact stdout (examples/NAME/expected.txt), exit code, stderr; and the same output
 * under --capacity 1, --unchecked and --budget 1; --stats tables on stderr only.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readText, tempDir, weft } from './weft.ts';

interface Example {
  name: string;
  /** Arguments after `weft`, as the README gives them. */
  args: string[];
  code: number;
}

const EXAMPLES: Example[] = [
  { name: 'wordcount', args: ['run', 'examples/wordcount/graph.fbp'], code: 0 },
  { name: 'fan-out-fan-in', args: ['run', 'examples/fan-out-fan-in/graph.fbp'], code: 0 },
  {
    name: 'subnet',
    args: ['run', 'examples/subnet/graph.fbp', '--components', 'examples/subnet/components'],
    code: 0,
  },
  { name: 'deadlock', args: ['run', 'examples/deadlock/graph.fbp'], code: 3 },
  {
    name: 'custom-component',
    args: ['run', 'examples/custom-component/graph.fbp', '--components', 'examples/custom-component/components'],
    code: 0,
  },
  {
    name: 'brackets',
    args: ['run', 'examples/brackets/graph.json', '--components', 'examples/brackets/components'],
    code: 0,
  },
];

/** The `npx weft run ...` line of an example's README, as arguments after `weft`. */
function readmeCommand(name: string): string[] {
  const readme = readText(`examples/${name}/README.md`);
  const m = /^npx weft (run examples\/.*)$/m.exec(readme);
  if (!m) throw new Error(`examples/${name}/README.md has no 'npx weft run examples/...' line`);
  return m[1].trim().split(/\s+/);
}

const ok = EXAMPLES.filter((e) => e.code === 0);

describe.concurrent('examples', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.name}: the README's command prints expected.txt exactly, exit ${ex.code}`, async () => {
      const args = readmeCommand(ex.name);
      expect(args).toEqual(ex.args);
      const r = await weft(args);
      expect(r.stdout).toBe(readText(`examples/${ex.name}/expected.txt`));
      expect(r.code).toBe(ex.code);
      if (ex.code === 0) expect(r.stderr).toBe('');
    });

    it(`${ex.name}: weft check accepts the graph (exit 0, nothing on stdout)`, async () => {
      const r = await weft(['check', ...ex.args.slice(1)]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`weft: ${ex.args[1]} is valid\n`);
      expect(r.code).toBe(0);
    });
  }

  for (const ex of ok) {
    it(`${ex.name}: --capacity 1, --unchecked and --budget 1 give the same output`, async () => {
      const expected = readText(`examples/${ex.name}/expected.txt`);
      const [cap1, unchecked, both] = await Promise.all([
        weft([...ex.args, '--capacity', '1']),
        weft([...ex.args, '--unchecked']),
        weft([...ex.args, '--unchecked', '--capacity', '1', '--budget', '1']),
      ]);
      for (const r of [cap1, unchecked, both]) {
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(expected);
        expect(r.code).toBe(0);
      }
    });
  }

  it('wordcount --stats: the tables go to stderr, stdout is exactly the program output', async () => {
    const r = await weft(['run', 'examples/wordcount/graph.fbp', '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readText('examples/wordcount/expected.txt'));
    expect(r.stderr).toMatch(/^weft stats: .*IPs created \d+, sent \d+, received \d+, dropped \d+/);
    // The box table: a header and one row per box, each done.
    expect(r.stderr).toMatch(/^box +component +state +in +out +activations +busy ms$/m);
    for (const [box, component] of [
      ['Read', 'core/ReadLines'],
      ['Words', 'text/Words'],
      ['Tally', 'core/Tally'],
      ['Top', 'core/Take'],
      ['Print', 'core/Output'],
    ]) {
      expect(r.stderr).toMatch(new RegExp(`^${box} +${component} +done +\\d+ +\\d+ +\\d+ +[\\d.]+$`, 'm'));
    }
    // The connection table: every edge with what it carried.
    expect(r.stderr).toMatch(/^connection +carried +max fill +capacity$/m);
    expect(r.stderr).toMatch(/^Read\.out -> Words\.in +\d+ +\d+ +10$/m);
    expect(r.stderr).toMatch(/^Tally\.out -> Top\.in +\d+ +\d+ +10$/m);
    expect(r.stderr).toMatch(/^Top\.out -> Print\.in +10 +\d+ +10$/m);
  });

  it('subnet --stats names the inlined boxes of the subnet', async () => {
    const r = await weft(['run', 'examples/subnet/graph.fbp', '--components', 'examples/subnet/components', '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readText('examples/subnet/expected.txt'));
    expect(r.stderr).toMatch(/^Words\.Words +text\/Words +done/m);
    expect(r.stderr).toMatch(/^Words\.Count +core\/Count +done/m);
  });

  it('--capacity sets the capacity of connections that do not give their own', async () => {
    const r = await weft(['run', 'examples/deadlock/graph.fbp', '--stats', '--capacity', '5']);
    expect(r.stderr).toMatch(/^Gen\.out -> Split\.in +\d+ +\d+ +5$/m);
    expect(r.stderr).toMatch(/^Split\.out\[1\] -> Concat\.in\[1\] +\d+ +2 +2$/m);
  });

  it('deadlock: stderr names each blocked box, its port and connection, and the cycle', async () => {
    const r = await weft(['run', 'examples/deadlock/graph.fbp']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(readText('examples/deadlock/expected.txt'));
    const err = r.stderr;
    expect(err).toMatch(/^weft: deadlock: no box can progress \(3 blocked\)$/m);
    expect(err).toMatch(/^ {2}Split \(core\/Split\): sending to out\[1\] on Split\.out\[1\] -> Concat\.in\[1\] \(2\/2 IPs, full\)$/m);
    expect(err).toMatch(/^ {2}Concat \(core\/Concat\): receiving from in\[0\] on Split\.out\[0\] -> Concat\.in\[0\] \(0\/2 IPs, empty\)$/m);
    expect(err).toMatch(/^ {2}Print \(core\/Output\): receiving from in on Concat\.out -> Print\.in \(0\/10 IPs, empty\)$/m);
    expect(err).toMatch(/^cycle: (Split -> Concat -> Split|Concat -> Split -> Concat)$/m);
    // A deadlock report, not a crash.
    expect(err).not.toMatch(/^\s+at /m);
  });

  it('deadlock: --capacity does not override a capacity written on an edge; more room on the edge ends it', async () => {
    const still = await weft(['run', 'examples/deadlock/graph.fbp', '--capacity', '100']);
    expect(still.code).toBe(3);
    const fixed = readText('examples/deadlock/graph.fbp').replaceAll('-(2)->', '-(10)->');
    const t = tempDir({ 'graph.fbp': fixed });
    try {
      const r = await weft(['run', join(t.dir, 'graph.fbp')]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const ten = Array.from({ length: 10 }, (_, i) => `${i + 1}\n`).join('');
      expect(r.stdout).toBe(ten + ten);
    } finally {
      t.cleanup();
    }
  });
});
