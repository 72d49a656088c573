// Runs a Node entry point (argv[2]) with the remaining arguments and prints its peak RSS on stderr at exit:
// `maxrss-kib=<n>`. Used by the benchmarks to measure a command's memory from the inside.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = resolve(process.argv[2]);
process.argv.splice(2, 1);
process.on('exit', () => process.stderr.write(`\nmaxrss-kib=${process.resourceUsage().maxRSS} ${process.env.COE_AUDIT_BENCH_MEM ? JSON.stringify(process.memoryUsage()) : ''}\n`));
await import(pathToFileURL(entry).href);
