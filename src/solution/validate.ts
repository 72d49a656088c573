import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { UsageError } from '../errors.js';
import { checkJsonNesting } from '../io/nesting.js';
import { decodeUtf8 } from '../io/read-file.js';
import { parseTemplate, WdlSyntaxError } from '../wdl/parser.js';
import { walkFlowExpressions } from '../wdl/walk.js';
import type { WdlExpr, WdlTemplate } from '../wdl/ast.js';
import { CUSTOMIZATIONS_XML, MAX_CONNECTOR_NAME_LENGTH, SOLUTION_XML } from './pack.js';
import { compareEnumerationOrder, type SourceTree } from './source-tree.js';
import { unpackSolution, type UnpackOptions } from './unpack.js';
import { ContentCache } from './content-cache.js';
import { attr, childElements, elementsByPath, firstChild, parseXmlReadOnly, textOf, type XDocument, type XElement } from './xml.js';

/**
 * Checks a solution source (the `pac solution unpack` layout) for what breaks an import or a flow at run time:
 * root components, file references, connector identity, connection references, flow parameters, runAfter,
 * expressions and environment variable definitions. Pure: reads only the tree.
 */
export function validateSolution(tree: SourceTree): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: string, file: string, message: string, where: { el?: XElement; path?: (string | number)[] } = {}) =>
    out.push({
      code,
      severity: 'error',
      path: where.path ?? [],
      message,
      file,
      ...(where.el ? { line: where.el.line, column: where.el.column } : {}),
    });
  const parse = (rel: string): XDocument | undefined => {
    const data = tree.get(rel);
    if (!data) return undefined;
    try {
      return parseXmlReadOnly(data, rel);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const p = e.problems[0]!;
      out.push({ code: 'solution-xml-malformed', severity: 'error', path: [], message: p.message, file: rel, ...(p.line ? { line: p.line, column: p.column } : {}) });
      return undefined;
    }
  };
  const keys = [...tree.keys()].sort(compareEnumerationOrder);

  for (const rel of [SOLUTION_XML, CUSTOMIZATIONS_XML]) {
    if (!tree.has(rel)) report('solution-file-missing', rel, `${rel} is missing; a solution source holds Other/Solution.xml and Other/Customizations.xml`);
  }
  const solution = parse(SOLUTION_XML);
  const customizations = parse(CUSTOMIZATIONS_XML);

  // Declared dependencies: <MissingDependencies><MissingDependency><Required schemaName=… id=…/>, and the forms
  // Dataverse exports for variables and connection references (id.schemaname=…, id.connectionreferencelogicalname=…).
  const dependencies = new Set<string>();
  const rootComponents = solution ? elementsByPath(solution.root, ['SolutionManifest', 'RootComponents', 'RootComponent']) : [];
  if (solution) {
    for (const req of elementsByPath(solution.root, ['SolutionManifest', 'MissingDependencies', 'MissingDependency', 'Required'])) {
      for (const k of ['schemaName', 'id', 'id.schemaname', 'id.connectionreferencelogicalname']) {
        const v = attr(req, k);
        if (v) dependencies.add(normaliseId(v));
      }
    }
  }

  // Workflows: inline and split out.
  const workflows: { file: string; el: XElement }[] = [];
  if (customizations) for (const w of elementsByPath(customizations.root, ['Workflows', 'Workflow'])) workflows.push({ file: CUSTOMIZATIONS_XML, el: w });
  for (const rel of keys.filter((k) => /^Workflows\/[^/]+\.data\.xml$/i.test(k))) {
    const doc = parse(rel);
    if (doc?.root.name === 'Workflow') workflows.push({ file: rel, el: doc.root });
  }
  const workflowIds = new Set(workflows.map((w) => normaliseId(attr(w.el, 'WorkflowId') ?? '')));
  const rootIds = (type: string) => new Set(rootComponents.filter((r) => attr(r, 'type') === type).map((r) => normaliseId(attr(r, 'id') ?? '')));
  const workflowRoots = rootIds('29');
  for (const w of workflows) {
    const id = attr(w.el, 'WorkflowId') ?? '';
    if (solution && !workflowRoots.has(normaliseId(id))) {
      report('solution-workflow-root-component', w.file, `workflow ${JSON.stringify(attr(w.el, 'Name') ?? id)} has no <RootComponent type="29" id="${id}" behavior="0" /> in Other/Solution.xml`, { el: w.el });
    }
    const json = firstChild(w.el, 'JsonFileName');
    const path = textOf(json)?.trim();
    if (json && (!path || !tree.has(path.replace(/^\//, '')))) {
      report('solution-workflow-json-missing', w.file, `JsonFileName names ${JSON.stringify(path ?? '')}, which is not a file of the solution`, { el: json });
    }
  }

  // Connectors: inline and split out.
  const connectors: { file: string; el: XElement; id: string; name: string }[] = [];
  const addConnector = (file: string, el: XElement) =>
    connectors.push({ file, el, id: normaliseId(textOf(firstChild(el, 'connectorid')) ?? ''), name: textOf(firstChild(el, 'name'))?.trim() ?? '' });
  if (customizations) for (const c of elementsByPath(customizations.root, ['Connectors', 'Connector'])) addConnector(CUSTOMIZATIONS_XML, c);
  for (const rel of keys.filter((k) => /^Connectors\/[^/]+\.xml$/i.test(k))) {
    const doc = parse(rel);
    if (doc?.root.name === 'Connector') addConnector(rel, doc.root);
  }
  const connectorRoots = rootComponents.filter((r) => attr(r, 'type') === '372');
  for (const c of connectors) {
    if (c.name.length > MAX_CONNECTOR_NAME_LENGTH) {
      report('solution-connector-name-length', c.file, `connector name '${c.name}' is ${c.name.length} characters; pac drops connectors whose name is over ${MAX_CONNECTOR_NAME_LENGTH} and import then fails`, { el: firstChild(c.el, 'name') });
    }
    for (const el of childElements(c.el)) {
      const value = textOf(el)?.trim() ?? '';
      if (value.startsWith('/Connector/') && !tree.has(`Connectors/${value.slice('/Connector/'.length)}`)) {
        report('solution-connector-file-missing', c.file, `<${el.name}> names ${value}, but Connectors/${value.slice('/Connector/'.length)} is not a file of the solution`, { el });
      }
    }
    const root = connectorRoots.find((r) => normaliseId(attr(r, 'id') ?? '') === c.id);
    if (solution && !root) {
      const byName = connectorRoots.find((r) => attr(r, 'schemaName') === c.name);
      if (byName) {
        report('solution-connector-id-mismatch', SOLUTION_XML, `the type-372 RootComponent for '${c.name}' has id ${attr(byName, 'id')}, but ${c.file} has connectorid ${c.id}`, { el: byName });
      } else {
        report('solution-connector-root-component', c.file, `connector '${c.name}' has no <RootComponent type="372" id="{${c.id}}" schemaName="${c.name}" behavior="0" /> in Other/Solution.xml`, { el: c.el });
      }
    } else if (root && attr(root, 'schemaName') !== undefined && attr(root, 'schemaName') !== c.name) {
      report('solution-connector-id-mismatch', SOLUTION_XML, `the type-372 RootComponent ${attr(root, 'id')} has schemaName '${attr(root, 'schemaName')}', but the connector's name is '${c.name}'`, { el: root });
    }
  }
  const connectorIds = new Set(connectors.map((c) => c.id));

  // Environment variable definitions.
  const envVars = new Set<string>();
  for (const rel of keys.filter((k) => /^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(k))) {
    const folder = rel.split('/')[1]!;
    envVars.add(folder.toLowerCase());
    const doc = parse(rel);
    if (!doc) continue;
    const schema = attr(doc.root, 'schemaname');
    if (schema !== folder) {
      report('envvar-schema-name-mismatch', rel, `schemaname is ${JSON.stringify(schema ?? '')} but the folder is '${folder}'; they must be equal`, { el: doc.root });
    }
    const typeEl = firstChild(doc.root, 'type');
    const type = textOf(typeEl)?.trim() ?? '';
    if (!ENV_VAR_TYPES.has(type)) {
      report('envvar-type-invalid', rel, `type is ${JSON.stringify(type)}; use one of ${[...ENV_VAR_TYPES.entries()].map(([v, n]) => `${v} (${n})`).join(', ')}`, { el: typeEl ?? doc.root });
    }
    const def = firstChild(doc.root, 'defaultvalue');
    if (type === '100000005' && def && (textOf(def) ?? '') !== '') {
      report('envvar-secret-default', rel, 'a Secret environment variable has a <defaultvalue>; remove it (secrets come from Azure Key Vault at run time)', { el: def });
    }
  }

  // Root components naming nothing.
  for (const r of rootComponents) {
    const type = attr(r, 'type');
    const id = attr(r, 'id');
    const schemaName = attr(r, 'schemaName');
    if (!id && !schemaName) {
      report('solution-root-component-orphan', SOLUTION_XML, `a RootComponent of type ${type ?? '?'} has neither id nor schemaName`, { el: r });
    } else if (type === '29' && !workflowIds.has(normaliseId(id ?? ''))) {
      report('solution-root-component-orphan', SOLUTION_XML, `RootComponent type 29 ${id ?? ''} names no <Workflow> of the solution`, { el: r });
    } else if (type === '372' && !connectorIds.has(normaliseId(id ?? '')) && !connectors.some((c) => c.name === schemaName)) {
      report('solution-root-component-orphan', SOLUTION_XML, `RootComponent type 372 ${id ?? schemaName ?? ''} names no <Connector> of the solution`, { el: r });
    } else if (type === '380' && !envVars.has((schemaName ?? '').toLowerCase())) {
      report('solution-root-component-orphan', SOLUTION_XML, `RootComponent type 380 ${schemaName ?? id ?? ''} names no environment variable definition folder`, { el: r });
    }
  }

  // Connection references.
  const references = new Set<string>();
  if (customizations) {
    for (const ref of elementsByPath(customizations.root, ['connectionreferences', 'connectionreference'])) {
      const name = attr(ref, 'connectionreferencelogicalname');
      if (name) references.add(name.toLowerCase());
      for (const idEl of elementsByPath(ref, ['customconnectorid', 'connectorid'])) {
        const id = normaliseId(textOf(idEl) ?? '');
        if (!connectorIds.has(id) && !dependencies.has(id)) {
          report('solution-connector-id-mismatch', CUSTOMIZATIONS_XML, `connection reference '${name ?? ''}' has customconnectorid ${textOf(idEl)?.trim() ?? ''}, which is no connector of the solution nor a declared dependency`, { el: idEl });
        }
      }
    }
  }

  // Flows.
  for (const w of workflows) {
    const path = textOf(firstChild(w.el, 'JsonFileName'))?.trim().replace(/^\//, '');
    const data = path ? tree.get(path) : undefined;
    if (path && data) checkFlow(path, data, { references, envVars, dependencies }, out);
  }
  return out;
}

/** Unpacks zip bytes (refusing unsafe zips with a UsageError) and validates the result. */
export function validateSolutionZip(zip: Uint8Array, options: UnpackOptions = {}): Diagnostic[] {
  return validateSolution(unpackSolution(zip, options));
}

const ENV_VAR_TYPES = new Map([
  ['100000000', 'String'],
  ['100000001', 'Number'],
  ['100000002', 'Boolean'],
  ['100000003', 'JSON'],
  ['100000004', 'Data source'],
  ['100000005', 'Secret'],
]);

function normaliseId(v: string): string {
  return v.trim().replace(/^\{|\}$/g, '').toLowerCase();
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface FlowContext {
  references: Set<string>;
  envVars: Set<string>;
  dependencies: Set<string>;
}

/**
 * Findings of checkFlow by the flow's bytes, file name and context: they are a function of these alone, and `build`
 * checks byte-identical flow files against equal contexts for every cloud (the flows do not depend on the cloud),
 * in the unpacked tree and again in the tree its zip unpacks to. Each distinct flow is walked once per process and
 * every later check gets a copy of the same findings. A flow too deep to walk throws, and is not kept.
 */
const flowChecks = new ContentCache<Diagnostic[]>(8 * 1024 * 1024);

function checkFlow(file: string, data: Uint8Array, ctx: FlowContext, out: Diagnostic[]): void {
  const names = (set: Set<string>) => [...set].sort().join('\n');
  const key = [file, names(ctx.references), names(ctx.envVars), names(ctx.dependencies)].join('\u0000');
  let found = flowChecks.get(data, key);
  if (!found) {
    found = [];
    checkFlowUncached(file, data, ctx, found);
    flowChecks.set(data, found, key);
  }
  for (const d of found) out.push({ ...d, path: [...d.path] });
}

function checkFlowUncached(file: string, data: Uint8Array, ctx: FlowContext, out: Diagnostic[]): void {
  const report = (code: string, path: (string | number)[], message: string) => out.push({ code, severity: 'error', path, message, file });
  let flow: unknown;
  try {
    const text = decodeUtf8(data, file);
    // Too deep to walk is not a finding but a refusal (exit 2), with the place.
    checkJsonNesting(text, file);
    flow = JSON.parse(text);
  } catch (e) {
    if (e instanceof UsageError && /nests deeper/.test(e.message)) throw e;
    report('flow-json-invalid', [], `does not parse as JSON: ${e instanceof UsageError ? e.problems[0]!.message : (e as Error).message}`);
    return;
  }
  const props = isObject(flow) && isObject(flow.properties) ? flow.properties : undefined;
  const definition = props && isObject(props.definition) ? props.definition : undefined;
  if (!props || !definition) {
    report('flow-json-invalid', [], 'has no properties.definition; a solution flow file is {"properties": {"connectionReferences", "definition", …}, "schemaVersion"}');
    return;
  }
  const base = ['properties', 'definition'];

  // Connection references of the flow.
  const connRefs = isObject(props.connectionReferences) ? props.connectionReferences : {};
  for (const [key, value] of Object.entries(connRefs)) {
    const logical = isObject(value) && isObject(value.connection) ? value.connection.connectionReferenceLogicalName : undefined;
    if (typeof logical === 'string' && !ctx.references.has(logical.toLowerCase()) && !ctx.dependencies.has(logical.toLowerCase())) {
      report('flow-connection-reference-undefined', ['properties', 'connectionReferences', key, 'connection', 'connectionReferenceLogicalName'],
        `connection reference '${logical}' is neither in Other/Customizations.xml <connectionreferences> nor a declared dependency`);
    }
  }

  // Parameters declared, environment-variable parameters.
  const declared = isObject(definition.parameters) ? definition.parameters : {};
  for (const [name, p] of Object.entries(declared)) {
    const schema = isObject(p) && isObject(p.metadata) ? p.metadata.schemaName : undefined;
    if (typeof schema === 'string' && !ctx.envVars.has(schema.toLowerCase()) && !ctx.dependencies.has(schema.toLowerCase())) {
      report('flow-envvar-parameter-unknown', [...base, 'parameters', name, 'metadata', 'schemaName'],
        `parameter '${name}' reads environment variable '${schema}', which has no definition in environmentvariabledefinitions/ and is not a declared dependency`);
    }
  }

  // Actions and triggers: runAfter and host.connectionName, at every nesting level.
  const walkActions = (map: unknown, path: (string | number)[]) => {
    if (!isObject(map)) return;
    const siblings = new Set(Object.keys(map));
    for (const [name, action] of Object.entries(map)) {
      if (!isObject(action)) continue;
      const at = [...path, name];
      if (isObject(action.runAfter)) {
        for (const dep of Object.keys(action.runAfter)) {
          if (!siblings.has(dep)) report('flow-run-after-unknown', [...at, 'runAfter', dep], `runAfter names '${dep}', which is not an action at the same level`);
        }
      }
      const host = isObject(action.inputs) && isObject(action.inputs.host) ? action.inputs.host : undefined;
      if (host && typeof host.connectionName === 'string' && !(host.connectionName in connRefs)) {
        report('flow-connection-name-unknown', [...at, 'inputs', 'host', 'connectionName'], `host.connectionName '${host.connectionName}' is not a key of properties.connectionReferences`);
      }
      walkActions(action.actions, [...at, 'actions']);
      if (isObject(action.else)) walkActions(action.else.actions, [...at, 'else', 'actions']);
      if (isObject(action.default)) walkActions(action.default.actions, [...at, 'default', 'actions']);
      if (isObject(action.cases)) {
        for (const [c, v] of Object.entries(action.cases)) if (isObject(v)) walkActions(v.actions, [...at, 'cases', c, 'actions']);
      }
    }
  };
  walkActions(definition.triggers, [...base, 'triggers']);
  walkActions(definition.actions, [...base, 'actions']);

  // Expressions: each parses; parameters('…') names a declared parameter.
  for (const s of walkFlowExpressions(flow)) {
    const parsed = expressionInfo(s.text);
    if ('syntaxError' in parsed) {
      const { reason, offset } = parsed.syntaxError;
      report('flow-expression-invalid', s.path, `expression does not parse: ${reason} at character ${offset + 1} of ${JSON.stringify(s.text.length > 120 ? `${s.text.slice(0, 117)}...` : s.text)}`);
      continue;
    }
    for (const name of parsed.parameters) {
      if (!(name in declared)) report('flow-parameter-undeclared', s.path, `parameters('${name}') is used but not declared in properties.definition.parameters`);
    }
  }
}

/**
 * What the expression checks need of a string: its syntax error, or the parameter names it reads. It depends on
 * the text alone, so each distinct string is parsed once per process: `build` checks the same flows for four
 * clouds, in the unpacked tree and in the zip, and each expression is parsed once, not eight times.
 */
type ExpressionInfo = { syntaxError: { reason: string; offset: number } } | { parameters: string[] };
const expressionCache = new Map<string, ExpressionInfo>();
function expressionInfo(text: string): ExpressionInfo {
  let info = expressionCache.get(text);
  if (!info) {
    try {
      info = { parameters: parameterNames(parseTemplate(text)) };
    } catch (e) {
      if (!(e instanceof WdlSyntaxError)) throw e;
      info = { syntaxError: { reason: e.reason, offset: e.offset } };
    }
    expressionCache.set(text, info);
  }
  return info;
}

/** Literal names passed to parameters(…) anywhere in a parsed string. */
function parameterNames(t: WdlTemplate): string[] {
  const names: string[] = [];
  const visit = (e: WdlExpr) => {
    switch (e.kind) {
      case 'call':
        if (e.name.toLowerCase() === 'parameters' && e.args[0]?.kind === 'string') names.push(e.args[0].value);
        e.args.forEach(visit);
        break;
      case 'member':
        visit(e.object);
        break;
      case 'index':
        visit(e.object);
        visit(e.index);
        break;
      default:
        break;
    }
  };
  if (t.kind === 'expression') visit(t.expr);
  else if (t.kind === 'interpolation') for (const p of t.parts) if (p.kind === 'expr') visit(p.expr);
  return names;
}
