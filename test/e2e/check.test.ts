/**
 * `weft check` (and `weft run`, which loads the same way) on valid and invalid graphs:
 * exit 0 / 2, every diagnostic on stderr as `file:line:col: error[CODE]: message` (a JSON
 * graph's shape errors with their JSON path), nothing on stdout. The graphs are in fixtures/.
 */
import { describe, expect, it } from 'vitest';
import { tempDir, weft } from './weft.ts';

const F = 'test/e2e/fixtures';

/** Runs `weft check FILE`, expects exit 2 and an empty stdout, returns stderr. */
async function invalid(file: string): Promise<string> {
  const r = await weft(['check', `${F}/${file}`]);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^weft: ${F}/${file.replace('.', '\\.')} is not valid \\(\\d+ problems?\\)$`, 'm'));
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
  return r.stderr;
}

describe.concurrent('weft check', () => {
  it('a valid graph: exit 0, a one-line confirmation on stderr, nothing on stdout', async () => {
    const r = await weft(['check', 'examples/wordcount/graph.fbp']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'weft: examples/wordcount/graph.fbp is valid\n' });
  });

  it('unknown component: its position, and a suggestion', async () => {
    const err = await invalid('unknown-component.fbp');
    expect(err).toContain(
      `${F}/unknown-component.fbp:2:14: error[E_UNKNOWN_COMPONENT]: node 'Gen' uses component 'core/Generat', which is not known\n` +
        `  hint: did you mean 'core/Generate'`,
    );
  });

  it('unknown port: its position and the ports there are', async () => {
    const err = await invalid('unknown-port.fbp');
    expect(err).toContain(
      `${F}/unknown-port.fbp:3:5: error[E_UNKNOWN_PORT]: node 'Gen' (core/Generate) has no out-port 'OUTPUT' (edge Gen.OUTPUT -> Print.IN); its out-ports are: out`,
    );
  });

  it('fan-out: one out-port to two in-ports, with a hint to use core/Split', async () => {
    const err = await invalid('fan-out.fbp');
    expect(err).toContain(`${F}/fan-out.fbp:4:5: error[E_FANOUT]: out-port Gen.out is the source of two edges: to A.in and to B.in\n`);
    expect(err).toMatch(/^ {2}hint: .*core\/Split/m);
  });

  it('unconnected required port', async () => {
    const err = await invalid('unconnected.fbp');
    expect(err).toContain(
      `${F}/unconnected.fbp:2:1: error[E_UNCONNECTED]: required in-port count of node 'Gen' (core/Generate) has no edge, IIP or graph inport`,
    );
  });

  it('an IIP of the wrong type, at the IIP', async () => {
    const err = await invalid('bad-iip.fbp');
    expect(err).toContain(`${F}/bad-iip.fbp:2:1: error[E_IIP]: IIP for Gen.count: 'many' is not a number`);
  });

  it('parse error: a missing arrow', async () => {
    const err = await invalid('missing-arrow.fbp');
    expect(err).toContain(`${F}/missing-arrow.fbp:3:9: error[E_PARSE]: missing '->' before 'IN'`);
  });

  it('several problems are all reported, in file order', async () => {
    const err = await invalid('several.fbp');
    const where = [...err.matchAll(/^test\/e2e\/fixtures\/several\.fbp:(\d+):(\d+): error\[(\w+)\]/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
    expect(where).toEqual(['2:14 E_UNKNOWN_COMPONENT', '3:15 E_UNKNOWN_COMPONENT', '4:1 E_UNCONNECTED', '4:1 E_UNCONNECTED']);
    expect(err).toContain("did you mean 'core/Output'");
    expect(err).toContain('is not valid (4 problems)');
  });

  it('a JSON graph of the wrong shape: the JSON path of the bad value', async () => {
    const err = await invalid('bad-shape.json');
    expect(err).toContain(`${F}/bad-shape.json:4:29: processes.Print.component: error[E_GRAPH]: 'component' must be a string`);
  });

  it('a JSON graph naming an unknown port: the JSON path of the connection', async () => {
    const err = await invalid('unknown-port.json');
    expect(err).toContain(
      `${F}/unknown-port.json:8:58: connections[1].tgt: error[E_UNKNOWN_PORT]: node 'Print' (core/Output) has no in-port 'INN'`,
    );
    expect(err).toContain("its in-ports are: in\n  hint: did you mean 'in'?");
  });

  it('invalid JSON: line and column of the first bad character', async () => {
    const err = await invalid('bad-syntax.json');
    expect(err).toContain(`${F}/bad-syntax.json:4:3: error[E_PARSE]: invalid JSON:`);
  });

  it('weft run on an invalid graph prints the same diagnostics and runs nothing (exit 2)', async () => {
    const r = await weft(['run', `${F}/unknown-component.fbp`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${F}/unknown-component.fbp:2:14: error[E_UNKNOWN_COMPONENT]`);
  });

  it('an invalid subnet: the diagnostic points into the subnet file', async () => {
    const t = tempDir({
      'wc/CountWords.fbp': 'INPORT=Words.IN:IN\nOUTPORT=Count.OUT:COUNT\nWords(text/Words) OUT -> IN Count(core/Cont)\n',
    });
    try {
      const r = await weft(['check', 'examples/subnet/graph.fbp', '--components', t.dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${t.dir}/wc/CountWords.fbp:3:29: error[E_UNKNOWN_COMPONENT]: node 'Count' uses component 'core/Cont'`);
      expect(r.stderr).toContain(`weft: subnet wc/CountWords (${t.dir}/wc/CountWords.fbp) is not valid`);
    } finally {
      t.cleanup();
    }
  });

  it('the subnet example without --components: its component is unknown', async () => {
    const r = await weft(['check', 'examples/subnet/graph.fbp']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("examples/subnet/graph.fbp:10:20: error[E_UNKNOWN_COMPONENT]: node 'Words' uses component 'wc/CountWords'");
  });
});
