import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry, isWeftError, parseFbp, run, type Graph } from '../index.ts';
import { collector } from '../../test/helpers/net.ts';

const DIR = path.resolve(import.meta.dirname, '../../test/fixtures/components');

function graph(text: string): Graph {
  const { graph, diagnostics } = parseFbp(text, 'inline.fbp');
  if (diagnostics.length) throw new Error(JSON.stringify(diagnostics));
  return graph;
}

async function collect(text: string) {
  const registry = createRegistry([DIR]);
  const got: unknown[] = [];
  registry.add('test/Collect', collector(got));
  const r = await run(graph(text), { registry, stdout: { write: () => true, once: () => undefined } });
  return { r, got };
}

describe('registry', () => {
  it('loads a TypeScript component from a components directory', async () => {
    const { r, got } = await collect(`'3' -> COUNT G(core/Generate) OUT -> IN D(demo/Double) OUT -> IN C(test/Collect)`);
    expect(r.status).toBe('finished');
    expect(got).toEqual([2, 4, 6]);
  });

  it('runs a graph file as a subnet through its exported ports, nested subnets too', async () => {
    const { r, got } = await collect(`'2' -> COUNT G(core/Generate) OUT -> IN Q(demo/Sixteen) OUT -> IN C(test/Collect)`);
    expect(r.status).toBe('finished');
    expect(got).toEqual([16, 32]);
    // inner boxes are named after their path
    expect(r.stats.boxes.map((b) => b.box)).toContain('Q.A.B');
  });

  it('lists builtins and directory components', () => {
    const names = createRegistry([DIR]).names();
    expect(names).toContain('core/Output');
    expect(names).toContain('demo/Double');
    expect(names).toContain('demo/Quad');
  });

  it('reports a subnet that uses itself', async () => {
    await expect(collect(`'1' -> COUNT G(core/Generate) OUT -> IN L(demo/Loop) OUT -> IN C(test/Collect)`)).rejects.toThrow(/uses itself/);
  });

  it('reports an invalid subnet with positions in its own file', async () => {
    try {
      await collect(`'1' -> COUNT G(core/Generate) OUT -> IN B(demo/Broken) OUT -> IN C(test/Collect)`);
      expect.unreachable();
    } catch (e) {
      expect(isWeftError(e, 'E_GRAPH')).toBe(true);
      const d = (e as { diagnostics: { code: string; span: { file: string; line: number } }[] }).diagnostics[0];
      expect(d.code).toBe('E_UNKNOWN_PORT');
      expect(d.span.file).toMatch(/Broken\.fbp$/);
      expect(d.span.line).toBe(3);
    }
  });

  it('refuses a module whose default export is not a component, and one that fails to load', async () => {
    const registry = createRegistry([DIR]);
    await expect(registry.load('bad/NotComponent')).rejects.toThrow(/default export is not a component/);
    await expect(registry.load('bad/Throws')).rejects.toThrow(/cannot load component bad\/Throws .*module failed to load/);
  });

  it('an unknown component is a diagnostic with suggestions, not an exception', async () => {
    await expect(collect(`'1' -> COUNT G(core/Generat) OUT -> IN C(test/Collect)`)).rejects.toMatchObject({
      diagnostics: [{ code: 'E_UNKNOWN_COMPONENT', hint: expect.stringContaining('core/Generate') }],
    });
  });

  it('refuses a components directory that does not exist', () => {
    expect(() => createRegistry(['/no/such/dir'])).toThrow(/components directory not found/);
  });
});
