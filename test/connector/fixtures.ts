import { findCloud } from '../../src/clouds/index.js';
import { buildConnectorVariant, loadConnectorSource } from '../../src/connector/index.js';

export const SOURCE = loadConnectorSource();
export const DEF = 'apiDefinition.swagger.json';
export const PROPS = 'apiProperties.json';

/** The files of a freshly built variant: the good document every rule test starts from. */
export function goodFiles(cloud = 'commercial', options: { clientId?: string; redirectUrl?: string } = {}): Map<string, Uint8Array> {
  return new Map(buildConnectorVariant(SOURCE, findCloud(cloud)!, options).files);
}

/** Edits one JSON file of a folder in place. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function editJson(files: Map<string, Uint8Array>, name: string, edit: (doc: any) => void): void {
  const doc: unknown = JSON.parse(new TextDecoder().decode(files.get(name)));
  edit(doc);
  files.set(name, new TextEncoder().encode(JSON.stringify(doc, null, 2)));
}

export function setText(files: Map<string, Uint8Array>, name: string, edit: (text: string) => string): void {
  files.set(name, new TextEncoder().encode(edit(new TextDecoder().decode(files.get(name)))));
}
