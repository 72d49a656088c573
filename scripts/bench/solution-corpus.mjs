// Benchmark of the native packer on a real solution (issue 16): the largest source of ../shared/anchors/pac-corpus
// (read in place), whole process, against Info-ZIP on the same tree, paired runs, median of the pair ratios.
//   ours:     node build/cli/main.js solution pack --zipfile out.zip --folder <source> --timestamp <fixed>
//   baseline: zip -X -r -q out.zip . -x 'CanvasApps/src/*'   (in <source>: the same files; pac never packs
//             CanvasApps/src/, the output of pac's --processCanvasApps unpack)
// Skips with a message when ../shared or Info-ZIP is absent. Figures are noisy on a shared machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratioLine, timeCommand } from './_measure.mjs';

const PAIRS = 5;
const TARGET = 3;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(repo, '..', 'shared', 'anchors', 'pac-corpus');
const cli = join(repo, 'build', 'cli', 'main.js');

function treeBytes(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = treeBytes(p);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent (the corpus is read in place from ../shared)`);
} else if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) {
  console.log('skipped: Info-ZIP zip is not installed (apt-get install -y zip)');
} else {
  const solutions = readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, source: join(corpus, d.name, 'source'), ...treeBytes(join(corpus, d.name, 'source')) }))
    .sort((a, b) => b.bytes - a.bytes);
  const largest = solutions[0];
  console.log(`largest corpus solution: ${largest.name} (${largest.files} files, ${(largest.bytes / 1048576).toFixed(1)} MiB)`);
  const work = mkdtempSync(join(tmpdir(), 'coe-audit-bench-corpus-'));
  try {
    const ours = join(work, 'ours.zip');
    const theirs = join(work, 'infozip.zip');
    const pack = () => timeCommand([process.execPath, cli, 'solution', 'pack', '--zipfile', ours, '--folder', largest.source, '--timestamp', '2025-01-01T00:00:00Z']).ms;
    const zip = () => {
      rmSync(theirs, { force: true });
      return timeCommand(['zip', '-X', '-r', '-q', theirs, '.', '-x', 'CanvasApps/src/*'], { cwd: largest.source }).ms;
    };
    pack(); // warm the file cache for both
    zip();
    const pairs = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternate who goes first so neither always runs on a warmer machine.
      let oursMs;
      let zipMs;
      if (i % 2 === 0) {
        oursMs = pack();
        zipMs = zip();
      } else {
        zipMs = zip();
        oursMs = pack();
      }
      pairs.push({ ours: oursMs, zip: zipMs, ratio: oursMs / zipMs });
    }
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    for (const p of pairs) console.log(`  pair: native ${p.ours.toFixed(1)} ms, zip ${p.zip.toFixed(1)} ms, ${p.ratio.toFixed(2)}x`);
    console.log(`native zip ${(statSync(ours).size / 1048576).toFixed(2)} MiB, Info-ZIP zip ${(statSync(theirs).size / 1048576).toFixed(2)} MiB (both without CanvasApps/src/, which pac does not pack)`);
    const m = median(pairs.map((p) => p.ratio));
    console.log(`${ratioLine('pack (native, whole process) vs zip -X -r -q, median of pairs', median(pairs.map((p) => p.ours)), median(pairs.map((p) => p.zip)), TARGET)}; median pair ratio ${m.toFixed(2)}x`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
