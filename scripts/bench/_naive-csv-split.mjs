// The baseline for `csv split`: a straightforward splitter built on csv-parse and csv-stringify, as one would
// write it with the usual libraries. usage: _naive-csv-split.mjs FILE ROWS OUTDIR
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

const [file, rowsArg, outDir] = process.argv.slice(2);
const rows = Number(rowsArg);
let header;
let out;
let sink;
let n = 0;
let part = 0;
const close = async () => {
  out.end();
  await finished(sink);
};
for await (const record of createReadStream(file).pipe(parse({ bom: true }))) {
  if (!header) {
    header = record;
    continue;
  }
  if (!out || n === rows) {
    if (out) await close();
    part++;
    out = stringify({ record_delimiter: 'windows' });
    sink = createWriteStream(join(outDir, `part-${String(part).padStart(4, '0')}.csv`));
    out.pipe(sink);
    out.write(header);
    n = 0;
  }
  if (!out.write(record)) await once(out, 'drain');
  n++;
}
if (out) await close();
