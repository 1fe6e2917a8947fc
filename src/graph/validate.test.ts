/**
 * Tests for validate: every check with the span it points at, the resolved copy (port names,
 * array indices, converted IIPs), and that the input graph is left unchanged.
 */
import { describe, expect, it } from 'vitest';
import { parseFbp } from './fbp/parser.ts';
import type { Graph } from './graph.ts';
import { parseJsonGraph } from './json.ts';
import { MAX_ARRAY_ELEMENTS, MAX_EDGE_CAPACITY, validate, type ComponentShape, type PortShape } from './validate.ts';

const p = (type: string, extra: Partial<PortShape> = {}): PortShape => ({ type, isArray: false, required: true, hasDefault: false, ...extra });
const optional = (type: string, extra: Partial<PortShape> = {}) => p(type, { required: false, ...extra });

const catalog: Record<string, ComponentShape> = {
  'core/Repeat': { inPorts: { IN: p('any') }, outPorts: { OUT: p('any') } },
  'core/Output': { inPorts: { IN: p('any'), OPTIONS: optional('object') }, outPorts: { OUT: optional('any') } },
  'core/Split': { inPorts: { IN: p('any') }, outPorts: { OUT: optional('any', { isArray: true }) } },
  'core/Merge': { inPorts: { IN: p('any', { isArray: true }) }, outPorts: { OUT: p('any') } },
  'math/Add': { inPorts: { augend: p('number'), addend: optional('number', { hasDefault: true }) }, outPorts: { sum: p('number') } },
  'strings/Upper': { inPorts: { IN: p('string') }, outPorts: { OUT: p('string') } },
  'flags/Set': { inPorts: { FLAG: optional('boolean') }, outPorts: {} },
  'data/Config': {
    inPorts: { CONFIG: optional('object'), LIST: optional('array'), DATA: optional('json'), TEXT: optional('string') },
    outPorts: { OUT: p('json') },
  },
};
const components = { get: (name: string) => catalog[name], names: () => Object.keys(catalog) };

function fbp(text: string): Graph {
  const { graph, diagnostics } = parseFbp(text);
  expect(diagnostics, text).toEqual([]);
  return graph;
}

/** `CODE line:col` per diagnostic. */
function check(text: string): string[] {
  return validate(fbp(text), components).diagnostics.map((d) => `${d.code} ${d.span!.line}:${d.span!.col}`);
}

function first(text: string) {
  return validate(fbp(text), components).diagnostics[0];
}

describe('validate: a valid graph', () => {
  const text = [
    "'5' -> augend Add(math/Add) sum -> in Merge(core/Merge)",
    "'x' -> IN Rep(core/Repeat) OUT -> IN[0] Merge",
    'Merge OUT -> IN Split(core/Split)',
    'Split OUT -> IN Show(core/Output)',
    'Split OUT -> IN Show2(core/Output)',
    "'{\"a\": 1}' -> OPTIONS Show",
  ].join('\n');

  it('has no diagnostics', () => {
    expect(check(text)).toEqual([]);
  });

  it('resolves port names, fills array indices in order of appearance, converts IIPs', () => {
    const source = fbp(text);
    const { graph } = validate(source, components);
    expect(graph.edges.map((e) => `${e.from.node}.${e.from.port}${e.from.index ?? ''} -> ${e.to.node}.${e.to.port}${e.to.index ?? ''}`)).toEqual([
      'Add.sum -> Merge.IN1', // IN[0] is taken by the explicit edge below, so this one gets 1
      'Rep.OUT -> Merge.IN0',
      'Merge.OUT -> Split.IN',
      'Split.OUT0 -> Show.IN',
      'Split.OUT1 -> Show2.IN',
    ]);
    expect(graph.iips.map((i) => [i.to.port, i.data, i.fromText])).toEqual([
      ['augend', 5, false],
      ['IN', 'x', false],
      ['OPTIONS', { a: 1 }, false],
    ]);
    // The input graph is left as it was.
    expect(source.edges[0].to).toMatchObject({ port: 'in' });
    expect(source.edges[0].to.index).toBeUndefined();
    expect(source.iips[0].data).toBe('5');
  });
});

describe('validate: each check, with the span of the offending element', () => {
  it('E_UNKNOWN_NODE: an edge or IIP names a missing node (JSON graphs can)', () => {
    const { graph } = parseJsonGraph(
      '{"processes": {"Show": {"component": "core/Output"}},\n "connections": [{"data": 1, "tgt": {"process": "Shw", "port": "IN"}}]}',
    );
    const d = validate(graph, components).diagnostics;
    expect(d.map((x) => [x.code, x.span!.line, x.span!.col, x.span!.path])).toEqual([
      ['E_UNCONNECTED', 1, 24, 'processes.Show'],
      ['E_UNKNOWN_NODE', 2, 37, 'connections[0].tgt'],
    ]);
    expect(d[1].message).toBe("IIP 1 -> Shw.IN names node 'Shw', which is not in the graph");
    expect(d[1].hint).toBe("did you mean 'Show'?");
  });

  it('E_UNKNOWN_COMPONENT: with up to three close names', () => {
    expect(check("'x' -> IN A(core/Repet)")).toEqual(['E_UNKNOWN_COMPONENT 1:11']);
    expect(first("'x' -> IN A(core/Repet)")).toMatchObject({
      message: "node 'A' uses component 'core/Repet', which is not known",
      hint: "did you mean 'core/Repeat'?",
    });
    expect(first('A(Output)').hint).toBe("did you mean 'core/Output'?");
    expect(first('A(core/Spilt)').hint).toBe("did you mean 'core/Split'?");
    const copies = ['w/Copy', 'x/Copy', 'y/Copy', 'z/Copy'];
    const many = { get: () => undefined, names: () => copies };
    expect(validate(fbp('A(Copy)'), many).diagnostics[0].hint).toBe("did you mean 'w/Copy', 'x/Copy' or 'y/Copy'?");
    expect(first('A(zzz/Quux)').hint).toBeUndefined();
  });

  it('E_UNKNOWN_PORT: lists the ports of the node', () => {
    const text = "'x' -> IN A(core/Repeat) OUTT -> IN B(core/Output)";
    expect(check(text)).toEqual(['E_UNKNOWN_PORT 1:26']);
    expect(first(text)).toMatchObject({
      message: "node 'A' (core/Repeat) has no out-port 'OUTT' (edge A.OUTT -> B.IN); its out-ports are: OUT",
      hint: "did you mean 'OUT'?",
    });
  });

  it('E_UNKNOWN_PORT: an out-port as target, an in-port as source', () => {
    const text = "'x' -> IN A(core/Repeat) IN -> OUT B(core/Output)\n'y' -> IN B";
    expect(check(text)).toEqual(['E_UNKNOWN_PORT 1:26', 'E_UNKNOWN_PORT 1:32']);
    const d = validate(fbp(text), components).diagnostics;
    expect(d[0].message).toBe("'IN' is an in-port of node 'A' (core/Repeat), so it cannot be the source of edge A.IN -> B.OUT");
    expect(d[1].message).toBe("'OUT' is an out-port of node 'B' (core/Output), so it cannot be the target of edge A.IN -> B.OUT");
  });

  it('E_ARRAY_INDEX: an index past MAX_ARRAY_ELEMENTS', () => {
    // (A's own IN is left unconnected in both: that E_UNCONNECTED is not what is tested.)
    expect(check(`A(core/Repeat) OUT -> IN[${MAX_ARRAY_ELEMENTS - 1}] M(core/Merge)`)).toEqual(['E_UNCONNECTED 1:1']);
    expect(check('A(core/Repeat) OUT -> IN[99999999] M(core/Merge)')).toEqual(['E_UNCONNECTED 1:1', 'E_ARRAY_INDEX 1:23']);
  });

  it('E_ARRAY_INDEX: index on a plain port, negative or fractional index', () => {
    expect(check("'x' -> IN[1] A(core/Repeat)")).toEqual(['E_ARRAY_INDEX 1:8']);
    expect(first("'x' -> IN[1] A(core/Repeat)").message).toBe("A.IN of node 'A' (core/Repeat) is not an array port: remove [1]");
    const { graph } = parseJsonGraph(
      '{"processes": {"M": {"component": "core/Merge"}}, "connections": [{"data": 1, "tgt": {"process": "M", "port": "IN", "index": -1}}, {"data": 2, "tgt": {"process": "M", "port": "IN", "index": 0.5}}]}',
    );
    const d = validate(graph, components).diagnostics;
    expect(d.map((x) => `${x.code} ${x.span!.path}`)).toEqual(['E_ARRAY_INDEX connections[0].tgt', 'E_ARRAY_INDEX connections[1].tgt']);
    expect(d[0].message).toBe('index -1 of M.IN is not a non-negative integer');
  });

  it('E_FANOUT: one out-port element feeding two edges', () => {
    const text = "'x' -> IN A(core/Repeat) OUT -> IN B(core/Output)\nA OUT -> IN C(core/Output)";
    expect(check(text)).toEqual(['E_FANOUT 2:3']);
    expect(first(text)).toMatchObject({
      message: 'out-port A.OUT is the source of two edges: to B.IN and to C.IN',
      hint: 'an IP has one owner: put a core/Split between them',
    });
    // Array elements: the same explicit index twice is a fan-out, no index is not.
    expect(check("'x' -> IN S(core/Split) OUT[1] -> IN B(core/Output)\nS OUT[1] -> IN C(core/Output)")).toEqual(['E_FANOUT 2:3']);
    expect(check("'x' -> IN S(core/Split) OUT -> IN B(core/Output)\nS OUT -> IN C(core/Output)")).toEqual([]);
  });

  it('fan-in is allowed', () => {
    expect(check("'a' -> IN A(core/Repeat) OUT -> IN C(core/Output)\n'b' -> IN B(core/Repeat) OUT -> IN C")).toEqual([]);
  });

  it('E_UNCONNECTED: a required in-port with no edge, IIP or graph inport', () => {
    expect(check('A(core/Repeat)')).toEqual(['E_UNCONNECTED 1:1']);
    expect(first('A(core/Repeat)')).toMatchObject({
      message: "required in-port IN of node 'A' (core/Repeat) has no edge, IIP or graph inport",
      hint: "connect it, send it an IIP ('value' -> IN A), or export it (INPORT=A.IN:NAME)",
    });
    expect(check('INPORT=A.in:START\nA(core/Repeat)')).toEqual([]);
    expect(check("'1' -> augend A(math/Add)")).toEqual([]); // addend has a default
    expect(check('M(core/Merge)\n"x" -> IN[3] M')).toEqual([]);
  });

  it('E_PORT_TYPE: declared types differ and neither is any or json', () => {
    const text = "'1' -> augend A(math/Add) sum -> IN U(strings/Upper)";
    expect(check(text)).toEqual(['E_PORT_TYPE 1:27']);
    expect(first(text).message).toBe("edge A.sum -> U.IN connects out-port type 'number' to in-port type 'string'");
    expect(check("'1' -> augend A(math/Add) sum -> IN R(core/Repeat)")).toEqual([]);
    expect(check("'x' -> IN U(strings/Upper) OUT -> DATA C(data/Config) OUT -> IN U2(strings/Upper)")).toEqual([]);
  });

  it.each([
    ["' 12.5 ' -> augend A(math/Add)", [], 12.5],
    ["'' -> augend A(math/Add)", ["'' is not a number"]],
    ["'  ' -> augend A(math/Add)", ["'  ' is not a number"]],
    ["'Infinity' -> augend A(math/Add)", ["'Infinity' is not a number"]],
    ["'abc' -> augend A(math/Add)", ["'abc' is not a number"]],
    ["'true' -> FLAG F(flags/Set)", [], true],
    ["'yes' -> FLAG F(flags/Set)", ["'yes' is not true or false"]],
    ["'{\"a\": [1]}' -> CONFIG C(data/Config)", [], { a: [1] }],
    ["'[1]' -> CONFIG C(data/Config)", ["'[1]' is JSON but not an object"]],
    ["'{}' -> LIST C(data/Config)", ["'{}' is JSON but not an array"]],
    ["'nope' -> DATA C(data/Config)", ["'nope' is not valid JSON"]],
    ["'null' -> DATA C(data/Config)", [], null],
    ["'5' -> TEXT C(data/Config)", [], '5'],
    ["'5' -> IN R(core/Repeat)", [], '5'],
    // JSON IIPs: a string is converted as text for number/boolean/json ports.
    ['"7" -> augend A(math/Add)', [], 7],
    ['7 -> augend A(math/Add)', [], 7],
    ['7 -> TEXT C(data/Config)', ['7 is a number, not a string']],
    ['[1, 2] -> CONFIG C(data/Config)', ['[1,2] is an array, not an object']],
    ['{"a": 1} -> LIST C(data/Config)', ['{"a":1} is an object, not an array']],
    ['true -> augend A(math/Add)', ['true is a boolean, not a number']],
    ['{"a": 1} -> IN R(core/Repeat)', [], { a: 1 }],
  ])('E_IIP / conversion: %s', (text, reasons, value?) => {
    const { graph, diagnostics } = validate(fbp(text), components);
    expect(diagnostics.filter((d) => d.code === 'E_IIP').map((d) => d.message.split(': ')[1].split('; ')[0])).toEqual(reasons);
    if (reasons.length > 0) expect(diagnostics.find((d) => d.code === 'E_IIP')!.span).toEqual({ line: 1, col: 1 });
    else expect(graph.iips[0].data).toEqual(value);
  });

  it('E_IIP message names the port and its type', () => {
    expect(first("'abc' -> augend A(math/Add)").message).toBe(
      "IIP for A.augend: 'abc' is not a number; port augend of node 'A' (math/Add) takes number",
    );
  });

  it('E_CAPACITY: a positive integer up to 2^20', () => {
    expect(check(`'x' -> IN A(core/Repeat) OUT -(${MAX_EDGE_CAPACITY})-> IN B(core/Output)`)).toEqual([]);
    const text = `'x' -> IN A(core/Repeat) OUT -(${MAX_EDGE_CAPACITY + 1})-> IN B(core/Output)`;
    expect(check(text)).toEqual(['E_CAPACITY 1:26']);
    expect(first(text).message).toBe('capacity 1048577 of edge A.OUT -> B.IN must be an integer from 1 to 1048576');
    const g = fbp("'x' -> IN A(core/Repeat) OUT -> IN B(core/Output)");
    g.edges[0].capacity = 2.5;
    expect(validate(g, components).diagnostics.map((d) => d.code)).toEqual(['E_CAPACITY']);
  });

  it.each([
    ['duplicate name, ignoring case', 'INPORT=A.IN:start\nINPORT=A.IN:START\nA(core/Repeat)', 'E_EXPORT 2:1', "exported inport 'START' is exported twice (first at 1:1)"],
    ['unknown node', "INPORT=Z.IN:X\n'x' -> IN A(core/Repeat)", 'E_EXPORT 1:1', "exported inport 'X' refers to node 'Z', which is not in the graph"],
    ['unknown port', 'INPORT=A.INN:X\nA(core/Repeat)', 'E_EXPORT 1:1', "exported inport 'X' refers to node 'A' (core/Repeat), which has no in-port 'INN'; its in-ports are: IN"],
    ['wrong side', "OUTPORT=A.IN:X\n'x' -> IN A(core/Repeat)", 'E_EXPORT 1:1', "exported outport 'X' refers to 'IN', an in-port of node 'A' (core/Repeat); a graph outport needs an out-port"],
    ['index on a plain port', 'INPORT=A.IN[0]:X\nA(core/Repeat)', 'E_ARRAY_INDEX 1:1', ''],
  ])('E_EXPORT: %s', (_, text, expected, msg) => {
    // The parser reports duplicates and undeclared nodes too; validate must not depend on that.
    const d = validate(parseFbp(text).graph, components).diagnostics.find((x) => x.code !== 'E_UNCONNECTED')!;
    expect(`${d.code} ${d.span!.line}:${d.span!.col}`).toBe(expected);
    if (msg) expect(d.message).toBe(msg);
  });

  it('E_EXPORT: a node missing from a JSON graph', () => {
    const { graph } = parseJsonGraph('{"inports": {"X": {"process": "Nope", "port": "IN"}}}');
    expect(validate(graph, components).diagnostics.map((d) => `${d.code} ${d.span!.path}: ${d.message}`)).toEqual([
      "E_EXPORT inports.X: exported inport 'X' refers to node 'Nope', which is not in the graph",
    ]);
  });

  it('E_GRAPH: two nodes with one id (graphs built in code can)', () => {
    const g = fbp("'x' -> IN A(core/Repeat)");
    g.nodes.push({ ...g.nodes[0], span: { line: 9, col: 1 } });
    expect(validate(g, components).diagnostics.map((d) => `${d.code} ${d.span!.line}:${d.span!.col}`)).toEqual(['E_GRAPH 9:1']);
  });

  it('collects every problem, sorted by position', () => {
    const text = [
      'X(core/Nope)',
      "'abc' -> augend A(math/Add) sum -> IN U(strings/Upper)",
      'U OUT -> IN B(core/Output)',
      'U OUT -> IN[1] C(core/Output)',
      'D(core/Repeat)',
    ].join('\n');
    expect(check(text)).toEqual(['E_UNKNOWN_COMPONENT 1:1', 'E_IIP 2:1', 'E_PORT_TYPE 2:29', 'E_FANOUT 4:3', 'E_ARRAY_INDEX 4:10', 'E_UNCONNECTED 5:1']);
  });
});
