/**
 * fast-check arbitraries for GraphQL operations, built from the committed schema.graphql: a root field of
 * Query or Mutation, its arguments as variables (well-formed, edge-case and hostile values, ids drawn from
 * a pool of real ones so generated operations reach real agents and actions), and a selection set of up
 * to three levels.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export interface Pools {
  /** Real identifiers (agent and action ids, emails, tool names) the generator may use. */
  ids: string[];
  emails: string[];
  names: string[];
}

export interface GeneratedOperation {
  root: 'query' | 'mutation';
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

const HOSTILE = [
  '',
  ' ',
  "' OR '1'='1",
  "\\' AND AgentOwner = 'x",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  '%00',
  '\u0000',
  '\uD800',
  '𝕎𝕒𝕣𝕕𝕖𝕟',
  'a'.repeat(300),
  'x'.repeat(5000),
  '00000000-0000-4000-8000-000000000000',
  'admin@example.com',
  'WorkflowId = "x" OR 1=1',
];

function scalarArb(name: string, pools: Pools): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.oneof(
        fc.integer({ min: -5, max: 200 }),
        fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31), 1_000_000_001),
        fc.constant('7'),
        fc.constant(1.5),
      );
    case 'Float':
      return fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
        fc.constantFrom(0, -0.01, 1e15),
        fc.constant('1'),
      );
    case 'Boolean':
      return fc.oneof(fc.boolean(), fc.constant('true'));
    case 'ID':
      return fc.oneof(fc.constantFrom(...pools.ids), fc.uuid(), fc.constantFrom(...HOSTILE), fc.integer());
    case 'DateTime':
      return fc.oneof(
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        fc.constantFrom('yesterday', '', '2026-13-45T99:99:99Z'),
      );
    case 'JSON':
      return fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constant({ warmup: { actions: 0, days: 0 }, thresholds: { review: 101 } }),
        fc.constant(null),
      );
    default:
      return fc.oneof(
        fc.constantFrom(...pools.ids, ...pools.emails, ...pools.names),
        fc.string({ maxLength: 40 }),
        fc.constantFrom(...HOSTILE),
      );
  }
}

/** A value for an input type: usually well-typed, sometimes null or of the wrong shape. */
export function inputArb(type: GraphQLInputType, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type))
    return fc.oneof(
      { weight: 12, arbitrary: inputArb(type.ofType, pools, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  if (isListType(type))
    return fc.oneof(
      fc.array(inputArb(type.ofType, pools, depth + 1), { maxLength: depth > 1 ? 1 : 3 }),
      fc.constant(null),
    );
  if (isEnumType(type))
    return fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
      { weight: 1, arbitrary: fc.constant('NOT_A_VALUE') },
    );
  if (isScalarType(type))
    return fc.oneof({ weight: 8, arbitrary: scalarArb(type.name, pools) }, { weight: 1, arbitrary: fc.constant(null) });
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant(null);
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) record[f.name] = inputArb(f.type, pools, depth + 1);
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    return fc.oneof(
      { weight: 10, arbitrary: fc.record(record, { requiredKeys: required as never[] }) },
      { weight: 1, arbitrary: fc.record(record, { requiredKeys: [] }) },
    );
  }
  return fc.constant(null);
}

let variableCounter = 0;

interface Selection {
  text: string;
  variables: Record<string, unknown>;
  definitions: string[];
}

function argumentsArb(args: readonly GraphQLArgument[], pools: Pools): fc.Arbitrary<Selection> {
  if (args.length === 0) return fc.constant({ text: '', variables: {}, definitions: [] });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const a of args) record[a.name] = inputArb(a.type, pools);
  const required = args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => a.name);
  return fc.record(record, { requiredKeys: required as never[] }).map((values) => {
    const used = args.filter((a) => a.name in values);
    const names = used.map((a) => ({ a, v: `v${++variableCounter}` }));
    return {
      text: names.length ? `(${names.map(({ a, v }) => `${a.name}: $${v}`).join(', ')})` : '',
      variables: Object.fromEntries(names.map(({ a, v }) => [v, (values as Record<string, unknown>)[a.name]])),
      definitions: names.map(({ a, v }) => `$${v}: ${String(a.type)}`),
    };
  });
}

function selectionArb(type: GraphQLObjectType, pools: Pools, depth: number): fc.Arbitrary<Selection> {
  const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
  const leaf = fields.filter((f) => !isObjectType(getNamedType(f.type)) && f.args.length === 0);
  const nested = depth < 3 ? fields.filter((f) => isObjectType(getNamedType(f.type))) : [];
  const pick = [...leaf, ...nested];
  if (pick.length === 0) return fc.constant({ text: '__typename', variables: {}, definitions: [] });
  return fc.subarray(pick, { minLength: 1, maxLength: Math.min(5, pick.length) }).chain((chosen) =>
    fc.tuple(...chosen.map((f) => fieldArb(f, pools, depth + 1))).map((parts) => ({
      text: parts.map((p) => p.text).join(' ') || '__typename',
      variables: Object.assign({}, ...parts.map((p) => p.variables)),
      definitions: parts.flatMap((p) => p.definitions),
    })),
  );
}

function fieldArb(field: GraphQLField<unknown, unknown>, pools: Pools, depth: number): fc.Arbitrary<Selection> {
  const named = getNamedType(field.type);
  return argumentsArb(field.args, pools).chain((args) => {
    if (!isObjectType(named))
      return fc.constant({
        text: `${field.name}${args.text}`,
        variables: args.variables,
        definitions: args.definitions,
      });
    return selectionArb(named, pools, depth).map((sel) => ({
      text: `${field.name}${args.text} { ${sel.text} }`,
      variables: { ...args.variables, ...sel.variables },
      definitions: [...args.definitions, ...sel.definitions],
    }));
  });
}

/** One operation on one of the given root fields (all of them when none are named). */
export function operationArb(
  schema: GraphQLSchema,
  root: 'query' | 'mutation',
  pools: Pools,
  only?: string[],
): fc.Arbitrary<GeneratedOperation> {
  const type = root === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const fields = (Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]).filter(
    (f) => !only || only.includes(f.name),
  );
  return fc.constantFrom(...fields).chain((field) =>
    fieldArb(field, pools, 1).map((sel) => ({
      root,
      field: field.name,
      query: `${root}${sel.definitions.length ? `(${sel.definitions.join(', ')})` : ''} { ${sel.text} }`,
      variables: sel.variables,
    })),
  );
}
