// Writes dist/precache.json: the pictures, fonts and narration the service
// worker (public/sw.js) stores at install, so the tutor works offline.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const dist = process.argv[2] ?? 'dist';
const urls = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!/\.(br|gz)$/.test(name)) urls.push(`/${relative(dist, path)}`);
  }
}
for (const dir of ['img/icons', 'img/kinds', 'fonts', 'audio']) walk(join(dist, dir));
writeFileSync(join(dist, 'precache.json'), JSON.stringify(urls.sort()));
console.log(`precache.json lists ${urls.length} files`);
