import type { RuleMeta } from '../diagnostics/diagnostic.js';

const SOLUTION = 'docs/rules/solution.md';
const FLOW = 'docs/rules/flow.md';
const ENVVAR = 'docs/rules/envvar.md';

/** Every rule of `solution validate`, for docs, SARIF and the rule catalogue. Codes are stable forever. */
export const SOLUTION_RULES: readonly RuleMeta[] = [
  { code: 'solution-file-missing', severity: 'error', docsPage: SOLUTION, description: 'Other/Solution.xml and Other/Customizations.xml are present.' },
  { code: 'solution-xml-malformed', severity: 'error', docsPage: SOLUTION, description: 'Every XML file of the solution is well-formed.' },
  { code: 'solution-workflow-root-component', severity: 'error', docsPage: SOLUTION, description: 'Every <Workflow> has a RootComponent of type 29 with its WorkflowId.' },
  { code: 'solution-root-component-orphan', severity: 'error', docsPage: SOLUTION, description: 'Every RootComponent of type 29, 372 or 380 names a component of the solution.' },
  { code: 'solution-workflow-json-missing', severity: 'error', docsPage: SOLUTION, description: "Every <Workflow>'s JsonFileName names a file of the solution." },
  { code: 'solution-connector-file-missing', severity: 'error', docsPage: SOLUTION, description: 'Every /Connector/ path of a <Connector> names a file under Connectors/.' },
  { code: 'solution-connector-root-component', severity: 'error', docsPage: SOLUTION, description: 'Every <Connector> has a RootComponent of type 372 with its GUID.' },
  { code: 'solution-connector-id-mismatch', severity: 'error', docsPage: SOLUTION, description: 'The connector GUID and name agree in Solution.xml, the connector XML and every customconnectorid.' },
  { code: 'solution-connector-name-length', severity: 'error', docsPage: SOLUTION, description: 'A connector name is at most 30 characters (pac drops longer ones).' },
  { code: 'flow-json-invalid', severity: 'error', docsPage: FLOW, description: 'A workflow JSON file parses and has properties.definition.' },
  { code: 'flow-connection-name-unknown', severity: 'error', docsPage: FLOW, description: "Every host.connectionName is a key of the flow's connectionReferences." },
  { code: 'flow-connection-reference-undefined', severity: 'error', docsPage: FLOW, description: 'Every connectionReferenceLogicalName is a connection reference of the solution or a declared dependency.' },
  { code: 'flow-parameter-undeclared', severity: 'error', docsPage: FLOW, description: "Every @parameters('…') a flow uses is declared in its definition." },
  { code: 'flow-envvar-parameter-unknown', severity: 'error', docsPage: FLOW, description: 'Every environment-variable parameter names a definition of the solution or a declared dependency.' },
  { code: 'flow-run-after-unknown', severity: 'error', docsPage: FLOW, description: 'Every runAfter names an existing sibling action.' },
  { code: 'flow-expression-invalid', severity: 'error', docsPage: FLOW, description: 'Every workflow expression parses as Workflow Definition Language.' },
  { code: 'envvar-type-invalid', severity: 'error', docsPage: ENVVAR, description: 'An environment variable definition has a legal type (100000000 to 100000005).' },
  { code: 'envvar-schema-name-mismatch', severity: 'error', docsPage: ENVVAR, description: "An environment variable definition's schemaname equals its folder name." },
  { code: 'envvar-secret-default', severity: 'error', docsPage: ENVVAR, description: 'A Secret environment variable has no default value.' },
];
