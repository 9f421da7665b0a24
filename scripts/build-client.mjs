#!/usr/bin/env node
// Bundles the script inside report.html (lib/report/client/, TypeScript checked against the DOM by its
// own tsconfig) into one IIFE, dist/lib/report/client.bundle.js, which lib/report/client-script.ts inlines
// into every page. Part of `npm run build`, so the package ships the bundle and an install builds nothing.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = join(root, 'lib', 'report', 'client');
const outfile = join(root, 'dist', 'lib', 'report', 'client.bundle.js');

await build({
  entryPoints: [join(clientDir, 'main.ts')],
  tsconfig: join(clientDir, 'tsconfig.json'),
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  // Not minified: the page stays readable in devtools and its stack traces name functions; minifying
  // would save 17 kB, 0.2% of a 100,000-op page (see the commit that added this script).
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});

// Inlined in a <script> element: nothing in it may end the element or open a comment the parser honours.
const text = readFileSync(outfile, 'utf8');
const unsafe = /<\/script|<!--/i.exec(text);
if (unsafe) {
  console.error(
    `build-client: ${relative(root, outfile)} contains "${unsafe[0]}" at ${unsafe.index}, which would break report.html; change the code in lib/report/client/ that produces it`,
  );
  process.exit(1);
}
console.log(`report client: ${relative(root, outfile)} (${(text.length / 1024).toFixed(1)} kB)`);
