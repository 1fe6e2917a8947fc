/**
 * Regression tests from the loader fuzzer (test/fuzz): names in a graph that are also keys of
 * Object.prototype (`__proto__`, `constructor`, `toString`) are ordinary names. Before the
 * fix, node metadata `constructor=2` was reported as "set twice" (the inherited function was
 * taken for an earlier value), `__proto__=1` metadata and `# @__proto__` annotations were
 * dropped, and a subnet exporting a port named `__proto__` lost that port.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createRegistry, parseFbp } from '../index.ts';
import { createNetwork } from '../network/run.ts';

const FUZZ_COMPONENTS = fileURLToPath(new URL('../../test/fuzz/components', import.meta.url));

describe('names that are Object.prototype keys', () => {
  it('node metadata constructor=2 and __proto__=1 are plain entries, not duplicates', () => {
    const { graph, diagnostics } = parseFbp("A(core/Output:__proto__=1,constructor=2)\n'x' -> IN A", 'g.fbp');
    expect(diagnostics).toEqual([]);
    const meta = graph.nodes[0].metadata;
    expect(Object.keys(meta)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(meta.constructor).toBe('2');
  });

  it('a real duplicate is still reported at its position', () => {
    const { diagnostics } = parseFbp('A(core/Output:constructor=1)\nA(:constructor=2)', 'g.fbp');
    expect(diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])).toEqual([['E_GRAPH', 2, 4]]);
    expect(diagnostics[0].message).toContain("set twice ('1' and '2')");
  });

  it('an annotation named __proto__ becomes a property', () => {
    const { graph } = parseFbp('# @__proto__ yes\nA(core/Output)', 'g.fbp');
    expect(Object.hasOwn(graph.properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(graph.properties)).toBe(Object.prototype);
  });

  it('a subnet keeps an exported in-port named __proto__', async () => {
    const registry = createRegistry([FUZZ_COMPONENTS]);
    const ok = parseFbp("'1' -> __proto__ O(fz/Odd)\n'2' -> CONSTRUCTOR O", 'g.fbp');
    await expect(createNetwork(ok.graph, registry)).resolves.toBeDefined();
    const missing = parseFbp("'2' -> CONSTRUCTOR O(fz/Odd)", 'g.fbp');
    await expect(createNetwork(missing.graph, registry)).rejects.toMatchObject({
      diagnostics: [{ code: 'E_UNCONNECTED', span: { line: 1 } }],
    });
  });
});
