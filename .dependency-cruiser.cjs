/**
 * The dependency rule of ../shared/DESIGN.md ("Dependency rule"), checked by `npm run lint`:
 * http → graphql → schema → manage | stream | store (reads) → providers | domain. Nothing imports http/, graphql/
 * or app.ts (only the composition root does); providers/ never imports store/; stream/ never imports schema/;
 * the writer thread is store/'s secret; no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one module with two names.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-the-entry-imports-app',
      severity: 'error',
      comment: 'app.ts is the composition root: only server.ts starts it.',
      from: { pathNot: '^src/server\\.ts$' },
      to: { path: '^src/app\\.ts$' },
    },
    {
      name: 'nothing-imports-http',
      severity: 'error',
      comment: 'http/ is the outermost layer: app.ts mounts it, nothing calls into it.',
      from: { pathNot: ['^src/app\\.ts$', '^src/http/'] },
      to: { path: '^src/http/' },
    },
    {
      name: 'nothing-imports-graphql',
      severity: 'error',
      comment: 'graphql/ (yoga, graphql-ws, auth) is mounted by app.ts; schema/ and below never know the server.',
      from: { pathNot: ['^src/app\\.ts$', '^src/graphql/'] },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'providers-never-import-store',
      severity: 'error',
      comment: 'A connector speaks to its vendor; persistence is the managers’ business.',
      from: { path: '^src/providers/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'providers-stay-below-the-api',
      severity: 'error',
      comment: 'providers/ sits under manage, stream and schema.',
      from: { path: '^src/providers/' },
      to: { path: '^src/(schema|manage|stream|ingest|sandbox|services\\.ts|bootstrap\\.ts)' },
    },
    {
      name: 'stream-never-imports-schema',
      severity: 'error',
      comment: 'The stream knows events and the bus, not the GraphQL types it is served as.',
      from: { path: '^src/stream/' },
      to: { path: '^src/schema/' },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'The unified shapes depend on nothing of ours.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'store-stays-below-the-api',
      severity: 'error',
      comment: 'store/ is read by schema and written by manage and ingest; it never calls up.',
      from: { path: '^src/store/' },
      to: { path: '^src/(schema|manage|stream|ingest|providers|sandbox|graphql|http)/' },
    },
    {
      name: 'client-ships-alone',
      severity: 'error',
      comment: 'hookgraph/client runs in browsers: nothing of the server in it.',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/client/' },
    },
    {
      name: 'writer-thread-is-stores-secret',
      severity: 'error',
      comment: 'Engine tricks stay beside the engine they serve: nothing outside store/ knows there is a writer thread.',
      from: { pathNot: '^src/store/' },
      to: { path: '^src/store/sqlite/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
