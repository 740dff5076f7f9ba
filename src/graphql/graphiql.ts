import type { IncomingMessage, ServerResponse } from 'node:http';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { type StaticBody, sendStatic, staticBody } from '../static-response.js';

/*
 * The bundled GraphiQL (yoga's @graphql-yoga/render-graphiql: GraphiQL 5, Monaco, works offline),
 * served by the gateway itself rather than by yoga's `graphiql` option, for three reasons:
 *
 * - Size. yoga's page inlines everything: 9 MB of HTML per visit, uncompressed, uncacheable, parsed
 *   again on every load (browsers keep no compiled code for inline scripts). Here the page is a few KB
 *   (`Cache-Control: no-cache` + ETag, so a revisit is a 304) and the script, stylesheet and icon are
 *   files named by their content hash (`immutable`, never asked for again), each sent brotli- or
 *   gzip-compressed (computed once per process, off the event loop) when the browser accepts it.
 * - The first screen. GraphiQL introspects as soon as it loads, before anyone could have typed a key,
 *   and introspection needs one (auth stays on): yoga's page opens on "Error fetching schema". Here the
 *   header editor starts with an Authorization template and the page script (PAGE_SCRIPT) holds an
 *   introspection that carries only the template until a key is typed, then sends it with the key; a
 *   failed introspection is retried (GraphiQL's own Shift-Ctrl-R) when the key changes.
 * - Tabs. GraphiQL gives each new tab its `defaultHeaders`, fixed when the page loaded, so the tab a
 *   subscription needs had no key. The page script sends the last key typed in any tab in place of the
 *   template, and a later visit starts new tabs with the stored key (`shouldPersistHeaders`).
 */

/** Where the content-hashed files live; every other path under it is 404. */
export const GRAPHIQL_ASSETS = '/graphiql/';

/** What the header editor starts with: replaced by the key once one is typed in any tab. */
export const HEADERS_PLACEHOLDER = 'Bearer <your key>';
const HEADERS_TEMPLATE = JSON.stringify({ Authorization: HEADERS_PLACEHOLDER }, null, 2);

/** The README's loop, named so that Run (Ctrl-Enter) offers each by name. */
const FIRST_TAB = `# Paste your API key into the Headers tab below: {"Authorization": "Bearer hg_…"}
# (one tab is enough: every tab of this page sends it). Run CreateWebhook, start WatchContacts
# in the second tab, then run TriggerContactChanged here and watch the event arrive there.

query Providers {
  providers {
    key
    name
  }
}

mutation CreateWebhook {
  createWebhook(input: { provider: SUPEROFFICE, events: ["contact.created", "contact.changed"] }) {
    __typename
    ... on CreateWebhookSuccess {
      data {
        id
        deliveryUrl
        status
        externalIds
      }
    }
    ... on Error {
      message
    }
  }
}

mutation TriggerContactChanged {
  triggerSandboxEvent(provider: SUPEROFFICE, eventType: "contact.changed") {
    __typename
    ... on TriggerSandboxEventSuccess {
      data {
        webhookId
        status
      }
    }
    ... on Error {
      message
    }
  }
}
`;

const SECOND_TAB = `# Events as they are stored, live. Resume a dropped subscription with events(after: "<last cursor>").
subscription WatchContacts {
  events(filter: { types: ["contact.*"] }) {
    cursor
    type
    providerEventType
    resource {
      type
      id
    }
    payload
  }
}
`;

/** The operations GraphiQL opens with, by tab (exported for the test that validates them against the schema). */
export const STARTING_TABS = [FIRST_TAB, SECOND_TAB] as const;

/**
 * Runs in the browser before GraphiQL renders (plain ES2017, no build step): see the file comment.
 * Reads its options from the JSON block above it; `hookgraph` in them is this script's own part.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  var placeholder = options.hookgraph.placeholder;
  var introspectionName = options.hookgraph.introspectionName;
  delete options.hookgraph;
  var endpoint = new URL(options.endpoint, location.href);
  var known = null;
  var waiting = [];
  var failed = false;

  function authorizationIn(text) {
    try {
      var headers = JSON.parse(text);
      if (headers && typeof headers === 'object') {
        for (var name in headers) {
          if (name.toLowerCase() === 'authorization' && typeof headers[name] === 'string') return headers[name].trim();
        }
      }
    } catch (e) {}
    return null;
  }
  function learn(value) {
    if (typeof value !== 'string' || value === placeholder || value === known || !/^Bearer\\s+\\S+$/i.test(value)) return;
    known = value;
    var release = waiting;
    waiting = [];
    release.forEach(function (send) { send(); });
    if (failed) {
      failed = false;
      // GraphiQL's "re-fetch schema" shortcut.
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'R', ctrlKey: true, shiftKey: true }));
    }
  }
  function isIntrospection(init) {
    try {
      return typeof init.body === 'string' && JSON.parse(init.body).operationName === introspectionName;
    } catch (e) {
      return false;
    }
  }

  learn(authorizationIn(localStorage.getItem('graphiql:headers')));
  if (known !== null) options.headers = JSON.stringify({ Authorization: known }, null, 2);

  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, location.href);
    if (url.origin !== endpoint.origin || url.pathname !== endpoint.pathname) return nativeFetch(input, init);
    init = init || {};
    var headers = new Headers(init.headers);
    var authorization = headers.get('authorization');
    if (authorization === placeholder) {
      if (known !== null) {
        headers.set('authorization', known);
        init = Object.assign({}, init, { headers: headers });
      } else if (isIntrospection(init)) {
        // No error screen: the schema is fetched once a key is typed.
        return new Promise(function (resolve) {
          waiting.push(function () { resolve(window.fetch(input, init)); });
        });
      }
    } else {
      learn(authorization);
    }
    var answer = nativeFetch(input, init);
    if (isIntrospection(init)) {
      answer.then(function (r) {
        if (!r.ok) failed = true;
        else r.clone().json().then(function (body) { if (!body || !body.data) failed = true; }, function () { failed = true; });
      }, function () { failed = true; });
    }
    return answer;
  };
  options.onEditHeaders = function (text) { learn(authorizationIn(text)); };
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

export interface GraphiQLPageOptions {
  /** @default 'hookgraph' */
  title?: string;
  /** @default '/graphql' */
  endpoint?: string;
}

export interface GraphiQL {
  /** Answers GET/HEAD of the page (the endpoint, asked for as HTML) and of its files; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

/** A body GraphiQL serves (static-response.ts); brotli at quality 5: the 8 MB script in ~0.2 s to 1.9 MB (11 saves 0.2 MB more for 12 s of CPU). */
type Representation = StaticBody;

export function createGraphiQL({ title = 'hookgraph', endpoint = '/graphql' }: GraphiQLPageOptions = {}): GraphiQL {
  let page: Representation | undefined;
  const pageOf = () => {
    page ??= renderPage(title, endpoint, assets());
    return page;
  };
  return {
    handle(req, res, pathname) {
      if (pathname.startsWith(GRAPHIQL_ASSETS)) {
        const asset = assets().byPath.get(pathname);
        if (!asset) {
          req.resume();
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
          return true;
        }
        void send(req, res, asset);
        return true;
      }
      if (pathname !== endpoint && pathname !== `${endpoint}/`) return false;
      // yoga's rule for rendering GraphiQL: a GET that accepts HTML; everything else is GraphQL.
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.headers.accept?.includes('text/html')) return false;
      void send(req, res, pageOf());
      return true;
    },
  };
}

interface Assets {
  script: Representation;
  stylesheet: Representation;
  icon: Representation;
  byPath: Map<string, Representation>;
}

let built: Assets | undefined;

/** The files, built once per process on first use (never at start: most starts serve no GraphiQL). */
function assets(): Assets {
  if (built) return built;
  const immutable = 'public, max-age=31536000, immutable';
  // yoga's inline script, minus the render call: Monaco's workers from blobs, then the GraphiQL bundle.
  const script = representation(
    'text/javascript; charset=utf-8',
    `(function () {
  function prepareBlob(source) {
    return URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
  }
  var workers = {
    editorWorkerService: prepareBlob(${JSON.stringify(editorWorkerService)}),
    json: prepareBlob(${JSON.stringify(jsonWorker)}),
    graphql: prepareBlob(${JSON.stringify(graphqlWorker)}),
  };
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return workers[label];
    },
  };
})();
${js};
`,
    immutable,
  );
  const stylesheet = representation('text/css; charset=utf-8', css, immutable);
  const icon = representation('image/x-icon', Buffer.from(favicon.slice(favicon.indexOf(',') + 1), 'base64'), immutable);
  built = {
    script,
    stylesheet,
    icon,
    byPath: new Map([
      [assetPath('graphiql', script, 'js'), script],
      [assetPath('graphiql', stylesheet, 'css'), stylesheet],
      [assetPath('favicon', icon, 'ico'), icon],
    ]),
  };
  return built;
}

function assetPath(name: string, r: Representation, ext: string): string {
  return `${GRAPHIQL_ASSETS}${name}.${r.hash.slice(0, 16)}.${ext}`;
}

function representation(type: string, content: string | Buffer, cacheControl: string): Representation {
  return staticBody(type, content, cacheControl, { brotliQuality: 5 });
}

/** The options GraphiQL renders with (yoga's GraphiQLOptions), plus the page script's own. */
export function graphiqlOptions(title: string, endpoint: string) {
  const options: GraphiQLOptions = {
    title,
    endpoint,
    headers: HEADERS_TEMPLATE,
    defaultTabs: STARTING_TABS.map((query) => ({ query, headers: HEADERS_TEMPLATE })),
    shouldPersistHeaders: true,
    introspectionQueryName: 'IntrospectionQuery',
  };
  return { ...options, hookgraph: { placeholder: HEADERS_PLACEHOLDER, introspectionName: options.introspectionQueryName } };
}

function renderPage(title: string, endpoint: string, { script, stylesheet, icon }: Assets): Representation {
  // JSON inside <script>: `<` escaped, so no value can close the element.
  const json = JSON.stringify(graphiqlOptions(title, endpoint)).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="${assetPath('favicon', icon, 'ico')}" />
    <link rel="stylesheet" href="${assetPath('graphiql', stylesheet, 'css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${json}</script>
    <script src="${assetPath('graphiql', script, 'js')}"></script>
    <script id="graphiql-page">${PAGE_SCRIPT}</script>
  </body>
</html>
`;
  return representation('text/html; charset=utf-8', html, 'no-cache');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function send(req: IncomingMessage, res: ServerResponse, r: Representation): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET only\n');
    return;
  }
  await sendStatic(req, res, r);
}
