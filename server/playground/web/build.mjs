// build.mjs bundles GraphiQL (with React and graphql) into ../dist, the
// directory the Go package embeds (the page itself, src/index.html, is
// embedded from where it is). `make generate` runs it through build.sh;
// the output is committed and must be byte-for-byte reproducible from the
// lockfile, so nothing here depends on time or machine.
import { build } from 'esbuild';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist');
// Keep the committed bundle reviewable in size (the brief: under 3 MB).
const maxBytes = 3 * 1024 * 1024;

await rm(dist, { recursive: true, force: true });
await mkdir(path.join(dist, 'playground'), { recursive: true });

await build({
  entryPoints: { graphiql: path.join(here, 'src', 'graphiql.jsx') },
  outdir: path.join(dist, 'playground'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Fonts and images referenced by the CSS are inlined, never fetched.
  loader: { '.graphql': 'text', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
  // Licence texts of the bundled packages go to graphiql.js.LEGAL.txt / graphiql.css.LEGAL.txt.
  legalComments: 'external',
  logLevel: 'warning',
});

let total = 0;
for (const name of await readdir(path.join(dist, 'playground'))) {
  total += (await stat(path.join(dist, 'playground', name))).size;
}
if (total > maxBytes) {
  console.error(`build: bundle is ${total} bytes, over the ${maxBytes}-byte budget`);
  process.exit(1);
}
console.log(`build: wrote ${path.relative(process.cwd(), dist)} (${total} bytes)`);
