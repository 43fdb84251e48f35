// Prints the size of each app's release wasm (raw, gzip, brotli) and fails
// when one is over its brotli budget: phones on slow networks download them.
// The shop and the sellers' app are for phones on mobile networks; the
// service center's is used at the center, on its own network.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const root = process.argv[2] ?? 'dist';
// The shop's guard is its target, 150 KB; the others sit just above the
// sizes reached, so no change can make an app larger unnoticed.
const BUDGETS = [
  ['shop', root, 150],
  ['sellers', `${root}/seller`, 165],
  // The center grew by its management screens (hubs, staff, zones, families
  // and their import, products, month statements, listing for a family, the
  // audit log): 136 -> 195 KB. Operators load it at the
  // center or on a phone at a family's door, once; splitting those screens
  // into a wasm of their own would bring it back.
  ['service center', `${root}/center`, 200],
];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let failed = false;
for (const [app, dir, budgetKb] of BUDGETS) {
  const budget = budgetKb * 1024;
  const wasm = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wasm')) : [];
  if (wasm.length !== 1) {
    console.error(`${app}: expected one .wasm in ${dir}, found ${wasm.length}`);
    failed = true;
    continue;
  }
  const bytes = readFileSync(`${dir}/${wasm[0]}`);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
  console.log(`${app} ${wasm[0]}: raw ${kb(bytes.length)}, gzip -9 ${kb(gzip)}, brotli ${kb(brotli)} (budget ${kb(budget)})`);
  if (brotli > budget) {
    console.error(`${app}: the release wasm is over budget by ${kb(brotli - budget)}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
