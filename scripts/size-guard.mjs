// Prints the size of the release wasm (raw, gzip, brotli) and fails when the
// brotli size is over the budget: phones on slow networks download it.
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const BUDGET_BROTLI = 200 * 1024;
const dist = process.argv[2] ?? 'dist';
const wasm = readdirSync(dist).filter((f) => f.endsWith('.wasm'));
if (wasm.length !== 1) {
  console.error(`expected one .wasm in ${dist}, found ${wasm.length}`);
  process.exit(1);
}
const bytes = readFileSync(`${dist}/${wasm[0]}`);
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
}).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`${wasm[0]}: raw ${kb(bytes.length)}, gzip -9 ${kb(gzip)}, brotli ${kb(brotli)} (budget ${kb(BUDGET_BROTLI)})`);
if (brotli > BUDGET_BROTLI) {
  console.error(`the release wasm is over budget by ${kb(brotli - BUDGET_BROTLI)}`);
  process.exit(1);
}
