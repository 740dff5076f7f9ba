import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console: served by the gateway under /console/, talking to its /graphql (HTTP and graphql-ws) on the same
 * origin. `npx vite --config console/vite.config.ts` serves it with /graphql proxied to a gateway on port 4000
 * (`HOOKGRAPH_GATEWAY` overrides the target).
 */
const gateway = process.env['HOOKGRAPH_GATEWAY'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  // hookgraph/client from its sources (src/client/), not a copy and not dist/ (tsconfig.json's `paths` says the same).
  resolve: { alias: { 'hookgraph/client': fileURLToPath(new URL('../src/client/index.ts', import.meta.url)) } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // No source maps in the package: they would double its size for a console nobody debugs in production.
    sourcemap: false,
  },
  server: {
    proxy: { '/graphql': { target: gateway, ws: true } },
  },
});
