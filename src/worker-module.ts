import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module beside `from` (`./name` without extension): the compiled `.js` in
 * dist/, or the `.ts` source through tsx's API in a TypeScript checkout (tests, `npm run dev`).
 */
export function startModuleWorker(name: string, from: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const ts = from.endsWith('.ts');
  const entry = new URL(`${name}.${ts ? 'ts' : 'js'}`, from).href;
  const tsxApi = ts
    ? pathToFileURL(
        createRequire(from)
          .resolve('tsx/esm/api')
          .replace(/\.cjs$/, '.mjs'),
      ).href
    : null;
  const load = `import(${JSON.stringify(entry)})`;
  const bootstrap = tsxApi ? `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return ${load}; });` : `${load};`;
  return new Worker(bootstrap, { ...options, eval: true });
}
