/** `weft components`: every component the registry can load, with its ports. */
import type { Registry } from '../index.ts';

interface PortInfo {
  name: string;
  type: string;
  array: boolean;
  required: boolean;
}
interface Info {
  name: string;
  kind: 'component' | 'subnet';
  description?: string;
  inPorts: PortInfo[];
  outPorts: PortInfo[];
}

export async function listComponents(registry: Registry, json: boolean): Promise<string> {
  const infos: Info[] = [];
  for (const name of registry.names()) {
    const e = await registry.load(name);
    if (!e) continue;
    const shape = registry.shapeOf(name)!;
    const side = (ports: typeof shape.inPorts) =>
      Object.entries(ports).map(([n, p]) => ({ name: n, type: p.type, array: p.isArray, required: p.required && !p.hasDefault }));
    infos.push({
      name,
      kind: e.kind === 'graph' ? 'subnet' : 'component',
      description: e.kind === 'component' ? e.component.description : (e.graph.properties.description as string | undefined),
      inPorts: side(shape.inPorts),
      outPorts: side(shape.outPorts),
    });
  }
  if (json) return JSON.stringify(infos, null, 2) + '\n';
  // `?` marks optional in-ports; out-ports are all optional, so they carry no mark.
  const fmt = (p: PortInfo, mark = true) => `${p.name}${p.array ? '[]' : ''}: ${p.type}${p.required || !mark ? '' : '?'}`;
  return (
    infos
      .map((i) => {
        const ins = i.inPorts.map((p) => fmt(p)).join(', ') || '-';
        const outs = i.outPorts.map((p) => fmt(p, false)).join(', ') || '-';
        return `${i.name}${i.kind === 'subnet' ? ' (subnet)' : ''}\n  ${i.description ?? ''}\n  in:  ${ins}\n  out: ${outs}`;
      })
      .join('\n') + '\n'
  );
}
