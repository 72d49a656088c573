import { isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readConnectorFolder } from './folder.js';
import { validateConnectorFiles } from './validate.js';

/** Reads and validates each folder; file names in the findings are relative to `cwd`. */
export async function validateConnectorFolders(folders: readonly string[], cwd: string): Promise<Diagnostic[]> {
  const read = folders.map((f) => {
    const abs = isAbsolute(f) ? f : resolve(cwd, f);
    return { files: readConnectorFolder(abs), folder: relative(cwd, abs).split('\\').join('/') || '.' };
  });
  const out: Diagnostic[] = [];
  for (const r of read) out.push(...(await validateConnectorFiles(r.files, { folder: r.folder })));
  return out;
}
