import { describe, expect, it } from 'vitest';
import { Gen, nullSink, PassNL } from '../../test/helpers/net.ts';
import { emptyGraph } from '../graph/graph.ts';
import { buildNetwork } from './build.ts';

function graphWithBudget(budget: unknown) {
  const g = emptyGraph();
  g.nodes.push({ id: 'g', component: 'gen', metadata: {} }, { id: 'p', component: 'pass', metadata: { budget } });
  g.edges.push({ from: { node: 'g', port: 'out' }, to: { node: 'p', port: 'in' }, metadata: {} });
  g.iips.push({ data: 3, fromText: false, to: { node: 'g', port: 'count' }, metadata: {} });
  return g;
}
const resolve = (n: { component: string }) => (n.component === 'gen' ? Gen : PassNL);

describe('buildNetwork', () => {
  it('takes a node budget from metadata, as a number or as .fbp text', () => {
    expect(buildNetwork(graphWithBudget(7), resolve, { stdout: nullSink }).boxes.get('p')!.budget).toBe(7);
    expect(buildNetwork(graphWithBudget('5'), resolve, { stdout: nullSink }).boxes.get('p')!.budget).toBe(5);
    expect(buildNetwork(graphWithBudget(undefined), resolve, { stdout: nullSink, budget: 9 }).boxes.get('p')!.budget).toBe(9);
  });
  it('refuses a budget that is not a positive integer, naming the node', () => {
    for (const bad of ['x', 0, -1, 1.5, '']) {
      expect(() => buildNetwork(graphWithBudget(bad), resolve, { stdout: nullSink })).toThrow(/node p: metadata budget must be a positive integer/);
    }
  });
});
