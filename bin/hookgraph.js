#!/usr/bin/env node
// The installed `hookgraph` command runs the compiled CLI: nothing here needs TypeScript or tsx at run time.
// From a checkout without a build, `npm run cli -- …` runs src/cli.ts through tsx instead.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('error: hookgraph is not built (dist/cli.js is missing): run `npm run build` in the package folder first\n');
  process.exit(1);
}
await import(compiled.href);
