import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileSystemError, UsageError } from '../errors.js';
import { readUserFile } from '../io/index.js';

/** A connector folder is small; anything bigger than this is not one (the swagger limit is 1 MB). */
const MAX_CONNECTOR_FILE_BYTES = 8 * 1024 * 1024;

/** Reads the top-level files of a connector folder. A missing or unreadable folder is a UsageError naming it. */
export function readConnectorFolder(dir: string): Map<string, Uint8Array> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError([{ file: dir, message: 'is not a folder; give a connector folder such as dist/connector/commercial' }]);
    names = readdirSync(dir).sort();
  } catch (e) {
    throw fileSystemError(dir, e);
  }
  const files = new Map<string, Uint8Array>();
  for (const name of names) {
    const path = join(dir, name);
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch (e) {
      throw fileSystemError(path, e);
    }
    if (isFile) files.set(name, readUserFile(path, MAX_CONNECTOR_FILE_BYTES));
  }
  return files;
}
