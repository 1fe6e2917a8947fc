/**
 * Tests for parseFbp: every construct of the language, and every error with its exact line:col.
 * Invariant checked throughout: the parser never throws, whatever the text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFbp } from './parser.ts';

/** Parse text that must be valid; returns the graph. */
function ok(text: string) {
  const { graph, diagnostics } = parseFbp(text);
  expect(diagnostics, text).toEqual([]);
  return graph;
}

/** `CODE line:col` for each diagnostic, in order. */
function errors(text: string): string[] {
  return parseFbp(text).diagnostics.map((d) => `${d.code} ${d.span!.line}:${d.span!.col}`);
}

function message(text: string): string {
  return parseFbp(text).diagnostics[0]?.message ?? '';
}

const edges = (text: string) =>
  ok(text).edges.map((e) => `${e.from.node}.${e.from.port}${e.from.index === undefined ? '' : `[${e.from.index}]`} -> ${e.to.node}.${e.to.port}${e.to.index === undefined ? '' : `[${e.to.index}]`}${e.capacity ? ` (${e.capacity})` : ''}`);

describe('parseFbp: constructs', () => {
  it('reads an IIP into a declared node, with spans', () => {
    const g = parseFbp("'somefile' -> SOURCE Read(ReadFile)", 'g.fbp').graph;
    expect(g.file).toBe('g.fbp');
    expect(g.nodes).toEqual([{ id: 'Read', component: 'ReadFile', metadata: {}, span: { file: 'g.fbp', line: 1, col: 22 } }]);
    expect(g.iips).toEqual([
      {
        data: 'somefile',
        fromText: true,
        to: { node: 'Read', port: 'SOURCE', span: { file: 'g.fbp', line: 1, col: 15 } },
        metadata: {},
        span: { file: 'g.fbp', line: 1, col: 1 },
      },
    ]);
  });

  it('reads a connection; the edge span is its source port', () => {
    const g = ok('A(X) OUT -> IN B(Y)');
    expect(g.edges).toEqual([
      {
        from: { node: 'A', port: 'OUT', span: { line: 1, col: 6 } },
        to: { node: 'B', port: 'IN', span: { line: 1, col: 13 } },
        metadata: {},
        span: { line: 1, col: 6 },
      },
    ]);
    expect(g.nodes.map((n) => [n.id, n.span])).toEqual([
      ['A', { line: 1, col: 1 }],
      ['B', { line: 1, col: 16 }],
    ]);
  });

  it('reads chains, array ports and case as written', () => {
    expect(edges("'x' -> IN a(A) out[2] -> In[0] b(B) OUT -> iN c(C)")).toEqual(['a.out[2] -> b.In[0]', 'b.OUT -> c.iN']);
  });

  it('reads declarations anywhere, keeps the order of first (…) mention', () => {
    const g = ok('Count OUT -> IN Show\nRead(ReadFile) OUT -> IN Count(packets/Counter)\nShow(core/Output)\nShow()');
    expect(g.nodes.map((n) => `${n.id}:${n.component}@${n.span!.line}:${n.span!.col}`)).toEqual([
      'Read:ReadFile@2:1',
      'Count:packets/Counter@2:26',
      'Show:core/Output@3:1',
    ]);
    expect(g.edges[0].from.span).toEqual({ line: 1, col: 7 });
  });

  it('reads node metadata: key=value, bare words as routes, x/y as numbers, merged over mentions', () => {
    const g = ok('A(X:foo=bar,x=17,y=42,blue) OUT -> IN B(Y:baz=/foo/bar)\nA(:more=1)');
    expect(g.nodes.map((n) => n.metadata)).toEqual([{ foo: 'bar', x: 17, y: 42, routes: 'blue', more: '1' }, { baz: '/foo/bar' }]);
  });

  it('names anonymous nodes like fbp, skipping names the text uses', () => {
    const g = ok('(A) OUT -> IN (B) OUT -> IN (B)\n_A_1(A) OUT -> IN (core/Split)');
    expect(g.nodes.map((n) => n.id)).toEqual(['_A_2', '_B_1', '_B_2', '_A_1', '_core_Split_1']);
    expect(edges('(A) OUT -> IN (B)')).toEqual(['_A_1.OUT -> _B_1.IN']);
  });

  it('fills in default ports next to (Component), and DEFAULT_INPORT/OUTPORT change them', () => {
    expect(edges('(A) -> (B) -> (C)')).toEqual(['_A_1.OUT -> _B_1.IN', '_B_1.OUT -> _C_1.IN']);
    expect(edges('A(X) -> B(Y)\nA -> B')).toEqual(['A.OUT -> B.IN', 'A.OUT -> B.IN']);
    expect(edges('DEFAULT_INPORT=DATA\nDEFAULT_OUTPORT=RESULT\nA(X) -> B(Y) -> C(Z)')).toEqual(['A.RESULT -> B.DATA', 'B.RESULT -> C.DATA']);
    // An implied port points at its node.
    expect(ok('A(X) -> IN B(Y)').edges[0].from.span).toEqual({ line: 1, col: 1 });
  });

  it('reads exports, with an index, with a declaration, and with dots in the port name', () => {
    const g = ok('INPORT=Read.IN:FILENAME\nOUTPORT=Show.OUT[1]:OUT\nINPORT=Obj(objects/Get).key.path:KEY\nRead(R)\nShow(S)');
    expect(g.inports).toEqual([
      { name: 'FILENAME', node: 'Read', port: 'IN', metadata: {}, span: { line: 1, col: 1 } },
      { name: 'KEY', node: 'Obj', port: 'key.path', metadata: {}, span: { line: 3, col: 1 } },
    ]);
    expect(g.outports).toEqual([{ name: 'OUT', node: 'Show', port: 'OUT', index: 1, metadata: {}, span: { line: 2, col: 1 } }]);
    expect(g.nodes.map((n) => n.id)).toEqual(['Obj', 'Read', 'Show']);
  });

  it('reads comments and annotations; only column-1 `# @key value` lines are annotations', () => {
    const g = ok('# @runtime noflo-nodejs\n# @name Foo\n# plain comment\n  # @indented ignored\nA(X) # @trailing ignored\n#@nospace ignored\n# @description Hello, world!');
    expect(g.properties).toEqual({ environment: { type: 'noflo-nodejs' }, name: 'Foo', description: 'Hello, world!' });
  });

  it('separates statements with commas and new lines (CRLF, CR, LF)', () => {
    expect(edges("'a' -> IN A(X), A OUT -> IN B(Y),\r\nB OUT -> IN C(Z)\rC OUT -> IN A")).toEqual(['A.OUT -> B.IN', 'B.OUT -> C.IN', 'C.OUT -> A.IN']);
    expect(ok('A(X)\r\nB(Y) OUT -> IN A').edges[0].from.span).toEqual({ line: 2, col: 6 });
  });

  it('accepts tabs, a byte-order mark and no spaces around arrows', () => {
    expect(edges('\uFEFFa(A)->b(B)\ta(A)\tOUT\t->\tIN\tc(C)'.replace('\ta(A)', ',a'))).toEqual(['a.OUT -> b.IN', 'a.OUT -> c.IN']);
  });

  it('reads edge capacities (extension), also inside chains', () => {
    expect(edges('A(X) OUT -(4)-> IN B(Y) OUT -> IN C(Z) OUT[1] -( 16 )-> IN D(W)')).toEqual([
      'A.OUT -> B.IN (4)',
      'B.OUT -> C.IN',
      'C.OUT[1] -> D.IN (16)',
    ]);
    expect(edges('A(X)-(2)->B(Y)')).toEqual(['A.OUT -> B.IN (2)']);
  });

  it('unescapes quoted IIPs like fbp: only \\\' is an escape', () => {
    const g = ok("'It\\'s' -> IN A(X)\n'a\\b\\\\c' -> IN A\n'\\\\'' -> IN A\n'' -> IN A\n'# not, a -> comment' -> IN A");
    expect(g.iips.map((i) => i.data)).toEqual(["It's", 'a\\b\\\\c', "\\'", '', '# not, a -> comment']);
  });

  it('reads JSON IIPs: values with fromText false, JSON strings as text', () => {
    const g = ok('{ "a": [1, 2], "b": {} } -> IN A(X)\n[1,\n 2] -> IN A\n42 -> IN A\n-3.5e2 -> IN A\n"x\\ny" -> IN A\ntrue -> IN A\nnull -> IN A');
    expect(g.iips.map((i) => [i.data, i.fromText, i.span!.line])).toEqual([
      [{ a: [1, 2], b: {} }, false, 1],
      [[1, 2], false, 2],
      [42, false, 4],
      [-350, false, 5],
      ['x\ny', true, 6],
      [true, false, 7],
      [null, false, 8],
    ]);
  });

  it('reads a node called true when it has a port', () => {
    expect(edges('true(X) OUT -> IN B(Y)')).toEqual(['true.OUT -> B.IN']);
  });
});

describe('parseFbp: errors, each with its position', () => {
  it.each([
    ['missing arrow', 'A(X) OUT IN B(Y)', ['E_PARSE 1:10'], "missing '->' before 'IN'"],
    ['missing arrow, declared nodes', 'A(X)\nB(Y)\nA OUT IN B', ['E_PARSE 3:7'], "missing '->' before 'IN'"],
    ['dangling arrow', 'A(X) OUT ->', ['E_PARSE 1:10'], "'->' must be followed by a port and a node"],
    ['dangling arrow mid-line', "A(X) OUT -> , 'x' -> IN B(Y)", ['E_PARSE 1:10'], "'->' must be followed"],
    ['arrow without source', '  -> IN B(Y)', ['E_PARSE 1:3'], "'->' needs a source"],
    ['unterminated quote', "A(X)\n'abc -> IN A", ['E_PARSE 2:1'], 'unterminated string'],
    ['quote closed only by an escape', "'abc\\' -> IN A(X)", ['E_PARSE 1:1'], 'unterminated string'],
    ['unclosed (', "'x' -> IN A(X", ['E_PARSE 1:12'], "unclosed '('"],
    ['space inside ( )', 'A(X OUT -> IN B(Y)', ['E_PARSE 1:4'], 'invalid character " " in component name'],
    ['= in a component name', 'A(X=1)', ['E_PARSE 1:4'], 'invalid character "=" in component name'],
    ['bad character in a component', 'A(core.X)', ['E_PARSE 1:7'], "invalid character \".\" in component name"],
    ['metadata a=b=c', 'A(X:a=b=c)', ['E_PARSE 1:5'], "'a=b=c' is not key=value"],
    ['empty metadata entry', 'A(X:a=1,,b=2)', ['E_PARSE 1:9'], 'empty node metadata entry'],
    ['bad metadata character', 'A(X:a=1.5)', ['E_PARSE 1:8'], 'invalid character "." in node metadata'],
    ['non-numeric x', 'A(X:y=1,x=ten)', ['E_PARSE 1:9'], "'x' must be a number"],
    ['two components', 'A(X)\nB(Y) OUT -> IN A(Z)', ['E_GRAPH 2:17'], "already declared as 'X' (at 1:1)"],
    ['metadata set twice', 'A(X:k=1)\nA(:k=2)', ['E_GRAPH 2:4'], "metadata 'k' of node 'A' is set twice"],
    ['capacity zero', 'A(X) OUT -(0)-> IN B(Y)', ['E_CAPACITY 1:12'], 'positive integer'],
    ['capacity negative', 'A(X) OUT -( -3 )-> IN B(Y)', ['E_CAPACITY 1:13'], "got '-3'"],
    ['capacity not a number', 'A(X) OUT -(many)-> IN B(Y)', ['E_CAPACITY 1:12'], "got 'many'"],
    ['capacity on an IIP', "'x' -(3)-> IN A(X)", ['E_CAPACITY 1:5'], 'an IIP is delivered once'],
    ['capacity arrow not closed', 'A(X) OUT -(3) IN B(Y)', ['E_PARSE 1:10'], '-(N)->'],
    ['bad index', 'A(X) OUT[x] -> IN B(Y)', ['E_PARSE 1:10'], 'non-negative integer'],
    ['index on a node name', 'A(X) OUT -> IN B[1]', ['E_PARSE 1:17'], 'node name cannot have an array index'],
    ['index before a component', 'B[1](Y)', ['E_PARSE 1:2'], 'node name cannot have an array index'],
    ['legacy EXPORT', 'EXPORT=A.IN:X', ['E_PARSE 1:1'], 'EXPORT= is no longer part of the language'],
    ['unknown directive', 'IMPORT=x', ['E_PARSE 1:1'], "unknown directive 'IMPORT='"],
    ['export without a name', 'A(X)\nINPORT=A.IN', ['E_PARSE 2:8'], "expected ':NAME'"],
    ['export with spaces', 'A(X)\nINPORT= A.IN:X', ['E_PARSE 2:9'], 'expected a node'],
    ['export name with an index', 'A(X)\nINPORT=A.IN:X[1]', ['E_PARSE 2:14'], 'no index'],
    ['DEFAULT_INPORT without a port', 'DEFAULT_INPORT=', ['E_PARSE 1:1'], 'expected DEFAULT_INPORT=PORT'],
    ['undeclared nodes', 'A OUT -> IN B\nB(Y)', ['E_UNKNOWN_NODE 1:1'], "node 'A' is used but never declared"],
    ['export of an undeclared node', 'INPORT=Nope.IN:X', ['E_EXPORT 1:1'], "refers to node 'Nope', which is never declared"],
    ['duplicate export (ignoring case)', 'A(X)\nINPORT=A.IN:x\nINPORT=A.OPT:X', ['E_EXPORT 3:1'], "inport 'X' is exported twice (first at 2:1)"],
    ['empty statement', "A(X),,'x' -> IN A", ['E_PARSE 1:6'], "empty statement before ','"],
    ['leading comma', ', A(X)', ['E_PARSE 1:1'], "empty statement before ','"],
    ['port before the first node', 'IN A(X) OUT -> IN B(Y)', ['E_PARSE 1:1'], 'before the first node of the chain'],
    ['port after the last node', 'A(X) OUT -> IN B(Y) OUT', ['E_PARSE 1:21'], 'after the last node of the chain'],
    ['two chains on one line', 'A(X) OUT -> IN B(Y) C(Z) OUT -> IN D(W)', ['E_PARSE 1:21'], "missing '->' before 'C(Z)'"],
    ['extra node after the chain', 'A(X) OUT -> IN B(Y) C(Z)', ['E_PARSE 1:21'], 'after the end of the chain'],
    ['ambiguous middle', 'A(X) -> P Q -> C(Z)', ['E_PARSE 1:9'], "'P Q' between two arrows is ambiguous"],
    ['IIP in the middle', "A(X) OUT -> 'x'", ['E_PARSE 1:13'], 'an IIP can only start a chain'],
    ['IIP without target', "'x'", ['E_PARSE 1:1'], 'an IIP needs a target'],
    ['two IIPs', "'x' 'y' -> IN A(X)", ['E_PARSE 1:5'], "missing '->' before ''y''"],
    ['lone word', 'A', ['E_PARSE 1:1'], "'A' alone does nothing"],
    ['port without arrow', 'A(X)\nA OUT', ['E_PARSE 2:3'], "port 'OUT' is not connected"],
    ['port before a declaration', 'IN A(X)', ['E_PARSE 1:1'], "port 'IN' before the node"],
    ['two declarations without a comma', 'A(X) B(Y)', ['E_PARSE 1:6'], "missing '->' before 'B(Y)'"],
    ['anonymous node without component', "'x' -> IN ()", ['E_GRAPH 1:11'], 'anonymous node needs a component'],
    ['invalid JSON IIP', '{"a": 1,\n "b" 2} -> IN A(X)', ['E_PARSE 2:6'], "invalid JSON IIP: expected ':'"],
    ['unexpected character', 'A(X) OUT -> IN B(Y) !', ['E_PARSE 1:21'], 'unexpected character "!"'],
    ['lone dash', 'A(X) OUT - IN B(Y)', ['E_PARSE 1:10'], "an arrow is written '->'"],
    ['fat arrow', 'A(X) OUT => IN B(Y)', ['E_PARSE 1:10'], "'=>' is not an arrow"],
    ['stray =', 'A(X) OUT = IN B(Y)', ['E_PARSE 1:10'], "unexpected '='"],
    ['dot in a node name', 'A.B(X)', ['E_PARSE 1:1'], "invalid node name 'A.B'"],
    ['dash in a port name', 'A(X) OUT-X -> IN B(Y)', ['E_PARSE 1:6'], "invalid port name 'OUT-X'"],
  ])('%s', (_, text, expected, msg) => {
    expect(errors(text)).toEqual(expected);
    expect(message(text)).toContain(msg);
  });

  it('gives one diagnostic per broken statement and reads the rest', () => {
    const result = parseFbp("A(X) OUT IN B(Y)\n'x' -> IN C(Z)\nC OUT -> \nC OUT -> IN D(W)");
    expect(result.diagnostics.map((d) => `${d.span!.line}:${d.span!.col}`)).toEqual(['1:10', '3:7']);
    expect(result.graph.nodes.map((n) => n.id)).toEqual(['C', 'D']);
    expect(result.graph.edges).toHaveLength(1);
    expect(result.graph.iips).toHaveLength(1);
  });

  it('sorts diagnostics by position', () => {
    expect(errors('A OUT -> IN B(Y)\nB(Z)\n A -')).toEqual(['E_UNKNOWN_NODE 1:1', 'E_GRAPH 2:2', 'E_PARSE 3:4']);
  });

  it('never throws, whatever the input', () => {
    const unit = fc.constantFrom(...'AB OUT IN ()[]{}"\'\\-> ,:=.#@\n\t0 9x/_'.split(''), '->', '-(', 'INPORT=', '# @name ', '\r\n', '\u2028');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        const result = parseFbp(text);
        for (const d of result.diagnostics) expect(d.span!.line).toBeGreaterThan(0);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('does not overflow on deeply nested JSON', () => {
    expect(errors(`${'['.repeat(100000)} -> IN A(X)`)[0]).toBe('E_PARSE 1:514');
  });
});
