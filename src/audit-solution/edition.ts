import { UsageError } from '../errors.js';
import { buildFlows, componentGuid, flowFileName, withPrefix, type FlowSource, type JsonObject } from '../flows/index.js';
import { coeStoreSchema, loadTableDefinitions, storeSchema, type StoreSchema, type TableDefinitions } from '../store/schema.js';
import type { EnvVarSource, SolutionSource } from './source.js';

/**
 * The two editions of the solution (docs/deployment.md):
 * - `coe`: imported beside CoE Core Components. Ships only what is ours (flows, connector, variables CoE Core does
 *   not own) and declares Core's tables, variables and connection reference as missing dependencies naming Core's
 *   solution and minimum version, so it never changes a component Core owns.
 * - `standalone`: for tenants without CoE. Its own publisher, whose prefix names its tables, variables and
 *   connection reference; nothing needs CoE.
 */
export type Edition = 'coe' | 'standalone';
export const EDITIONS: readonly Edition[] = ['coe', 'standalone'];

/** The prefix the flows are written with: CoE Core's publisher prefix. */
export const FLOW_PREFIX = 'admin';

/** One flow placed in the solution of an edition: GUID, file name and source. */
export interface PlacedFlow {
  flow: FlowSource;
  id: string;
  fileName: string;
}

/** What one edition ships and depends on, resolved from the solution source. */
export interface EditionSolution {
  edition: Edition;
  source: SolutionSource;
  /** The manifest of this edition's solution (unique name, version, publisher). */
  manifest: SolutionSource['manifest'];
  /** Prefix of every table, column, variable and connection reference the flows name. */
  namePrefix: string;
  /** The Dataverse connection reference the flows use. */
  connectionReference: { logicalName: string; displayName: string; connectorId: string };
  /** Whether the solution defines the connection reference (standalone) or depends on CoE Core's (coe). */
  shipsConnectionReference: boolean;
  /** Environment variable definitions the solution ships (schema names with the edition's prefix). */
  environmentVariables: EnvVarSource[];
  /** Environment variables the flows read: the shipped ones and, for coe, CoE Core's. */
  flowVariables: EnvVarSource[];
  /** Tables the solution ships (standalone). */
  tables?: TableDefinitions;
  /** The tables and columns the flows may write: the local store of simulations is built from it. */
  storeSchema: StoreSchema;
  flows: PlacedFlow[];
}

const cache = new WeakMap<SolutionSource, Map<Edition, EditionSolution>>();

/** `admin_X` → `<prefix>_X`. */
export function rePrefix(name: string, prefix: string): string {
  return name.replace(/^admin_/, `${prefix}_`);
}

/** The edition's solution (computed once per source and edition). */
export function editionSolution(source: SolutionSource, edition: Edition): EditionSolution {
  let byEdition = cache.get(source);
  if (!byEdition) cache.set(source, (byEdition = new Map()));
  let e = byEdition.get(edition);
  if (!e) byEdition.set(edition, (e = edition === 'coe' ? coeEdition(source) : standaloneEdition(source)));
  return e;
}

function place(uniqueName: string, flows: FlowSource[]): PlacedFlow[] {
  return flows.map((flow) => {
    const id = componentGuid(uniqueName, 'workflow', flow.key);
    return { flow, id, fileName: flowFileName(flow.displayName, id) };
  });
}

function coeEdition(source: SolutionSource): EditionSolution {
  const flows = buildFlows({ envVars: source.environmentVariables, connectionReferenceLogicalName: source.connectionReference.logicalName });
  return {
    edition: 'coe',
    source,
    manifest: source.manifest,
    namePrefix: FLOW_PREFIX,
    connectionReference: source.connectionReference,
    shipsConnectionReference: false,
    environmentVariables: source.environmentVariables.filter((v) => v.core !== true),
    flowVariables: source.environmentVariables,
    storeSchema: coeStoreSchema(),
    flows: place(source.manifest.uniqueName, flows),
  };
}

function standaloneEdition(source: SolutionSource): EditionSolution {
  const st = source.standalone;
  const prefix = st.publisher.prefix;
  if (st.uniqueName === source.manifest.uniqueName) {
    throw new UsageError(`the standalone edition's unique name ${st.uniqueName} is the coe edition's; give it its own (standalone.uniqueName)`);
  }
  const flows = buildFlows({
    envVars: source.environmentVariables,
    connectionReferenceLogicalName: `${FLOW_PREFIX}_${st.connectionReference.name}`,
    recordApps: true,
  }).map((f) => ({ ...f, json: withPrefix(f.json, prefix) as JsonObject, description: withPrefix(f.description, prefix) as string }));
  const vars = source.environmentVariables.map((v) => ({ ...v, schemaName: rePrefix(v.schemaName, prefix) }));
  const tables = loadTableDefinitions('standalone');
  return {
    edition: 'standalone',
    source,
    manifest: {
      uniqueName: st.uniqueName,
      displayName: st.displayName,
      description: st.description,
      version: st.version ?? source.manifest.version,
      publisher: st.publisher,
    },
    namePrefix: prefix,
    connectionReference: { logicalName: `${prefix}_${st.connectionReference.name}`, displayName: st.connectionReference.displayName, connectorId: source.connectionReference.connectorId },
    shipsConnectionReference: true,
    environmentVariables: vars,
    flowVariables: vars,
    tables,
    storeSchema: storeSchema(tables, prefix),
    flows: place(st.uniqueName, flows),
  };
}
