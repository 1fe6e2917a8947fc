/**
 * Every example in examples/NAME/ run through the API, as its README's command says (graph
 * file and components directories), on 1, 2 and 4 workers: exactly examples/NAME/expected.txt
 * on stdout and the same outcome everywhere (the deadlock example ends in `deadlock`, exit 3,
 * its report naming the blocked boxes with their ports and a cycle).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDeadlock, run, type RunResult } from '../../src/index.ts';
import { capture, ROOT } from './helpers.ts';

interface Example {
  name: string;
  graph: string;
  components: string[];
  expected: string;
}

/** The `npx weft run ...` line of the README: graph file and --components directories. */
function example(name: string): Example {
  const readme = readFileSync(join(ROOT, 'examples', name, 'README.md'), 'utf8');
  const m = /^npx weft (run examples\/.*)$/m.exec(readme);
  if (!m) throw new Error(`examples/${name}/README.md has no 'npx weft run examples/...' line`);
  const args = m[1].trim().split(/\s+/);
  const components: string[] = [];
  for (let i = 2; i < args.length; i++) {
    if (args[i] === '--components') components.push(args[++i]);
    else throw new Error(`examples/${name}: unexpected argument ${args[i]} in the README's command`);
  }
  return { name, graph: args[1], components, expected: readFileSync(join(ROOT, 'examples', name, 'expected.txt'), 'utf8') };
}

const NAMES = readdirSync(join(ROOT, 'examples')).filter((n) => statSync(join(ROOT, 'examples', n)).isDirectory()).sort();
const EXAMPLES = NAMES.map(example);
const DEADLOCK = new Set(['deadlock']);

function what(r: RunResult): string {
  if (r.failure) return `failed: ${r.failure.box} (${r.failure.component}): ${r.failure.message}`;
  if (r.deadlock) return formatDeadlock(r.deadlock);
  if (r.stalled) return `stalled: ${JSON.stringify(r.stalled)}`;
  return r.status;
}

/** The outcome, and the boxes that did not finish with their states (what a report leaves out). */
function outcome(r: RunResult): string {
  const notDone = r.stats.boxes.filter((b) => b.state !== 'done').map((b) => `${b.box}:${b.state}`);
  return notDone.length > 0 ? `${what(r)}\nboxes not done: ${notDone.join(', ')}` : what(r);
}

describe('examples on workers', () => {
  it('finds the six examples', () => {
    expect(NAMES).toEqual(['brackets', 'custom-component', 'deadlock', 'fan-out-fan-in', 'subnet', 'wordcount']);
  });

  for (const ex of EXAMPLES) {
    for (const workers of [1, 2, 4]) {
      it(`${ex.name} on ${workers} worker${workers === 1 ? '' : 's'}: expected.txt, ${DEADLOCK.has(ex.name) ? 'deadlock (exit 3)' : 'finished (exit 0)'}`, async () => {
        // Paths in the examples' IIPs are relative to the repository root, as for the command.
        expect(process.cwd()).toBe(ROOT);
        const out = capture();
        const result = await run(ex.graph, { components: ex.components, workers, stdout: out });
        if (DEADLOCK.has(ex.name)) {
          expect(result.status, outcome(result)).toBe('deadlock');
          expect(result.exitCode).toBe(3);
          const report = result.deadlock!;
          expect(report, 'a deadlock report (not a stall)').toBeDefined();
          const blocked = Object.fromEntries(report.blocked.map((w) => [w.box, w]));
          expect(Object.keys(blocked).sort()).toEqual(['Concat', 'Print', 'Split']);
          expect(blocked.Split).toMatchObject({ component: 'core/Split', kind: 'send', port: 'out[1]', edge: 'Split.out[1] -> Concat.in[1]', capacity: 2 });
          expect(blocked.Concat).toMatchObject({ component: 'core/Concat', kind: 'receive', port: 'in[0]', edge: 'Split.out[0] -> Concat.in[0]', fill: 0, capacity: 2 });
          expect(blocked.Print).toMatchObject({ component: 'core/Output', kind: 'receive', port: 'in', edge: 'Concat.out -> Print.in', fill: 0 });
          expect(formatDeadlock(report)).toMatch(/^cycle: (Split -> Concat -> Split|Concat -> Split -> Concat)$/m);
          expect(formatDeadlock(report)).toMatch(/^ {2}Split \(core\/Split\): sending to out\[1\] on Split\.out\[1\] -> Concat\.in\[1\] \(2\/2 IPs, full\)$/m);
        } else {
          expect(result.status, outcome(result)).toBe('finished');
          expect(result.exitCode).toBe(0);
          expect(result.stats.boxes.every((b) => b.state === 'done')).toBe(true);
        }
        expect(out.text()).toBe(ex.expected);
      });
    }
  }
});
