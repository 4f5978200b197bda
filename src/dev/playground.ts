import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PlaygroundOptions {
  /** The GraphQL HTTP endpoint, absolute or relative to the page (e.g. `/graphql`). */
  endpoint: string;
  /** The graphql-ws endpoint; a relative or http(s) URL is turned into ws(s) in the browser. */
  subscriptionEndpoint: string;
  title?: string;
  /** Prefills the Headers editor of a first visit, e.g. a local development token. */
  defaultHeaders?: Record<string, string>;
  /**
   * When set (e.g. `/graphql/assets`), the page links its scripts, styles and editor workers
   * from there instead of inlining ~9 MB into every response; serve them with
   * `playgroundAsset`. This also leaves the page with no inline script, for a strict CSP.
   */
  assetBase?: string;
  /**
   * Tabs the page opens with on a first visit (and whenever this list changes), each with its
   * own variables and headers; GraphiQL names a tab after its operation. The first is active.
   */
  tabs?: PlaygroundTab[];
}

/** One pre-loaded tab: an operation with the variables and headers it runs with. */
export interface PlaygroundTab {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface PlaygroundAsset {
  body: Buffer | string;
  contentType: string;
}

type GraphiqlBundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

const JS = 'text/javascript; charset=utf-8';
const WORKERS = {
  editorWorkerService: 'worker-editor.js',
  json: 'worker-json.js',
  graphql: 'worker-graphql.js',
} as const;

/**
 * Runs in the browser. GraphiQL hands the fetcher the parsed Headers editor on every call, so
 * the Authorization header typed there goes on each HTTP request and, for subscriptions, into
 * the graphql-ws `connectionParams.authorization` of a socket opened with that token.
 */
const BOOTSTRAP = String.raw`(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var httpUrl = new URL(config.endpoint, location.href).toString();
  var wsUrl = new URL(config.subscriptionEndpoint, location.href);
  if (wsUrl.protocol === 'http:') wsUrl.protocol = 'ws:';
  if (wsUrl.protocol === 'https:') wsUrl.protocol = 'wss:';

  var inlineWorkers = {};
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (moduleId, label) {
      if (config.workers) return config.workers[label];
      if (!inlineWorkers[label]) {
        var source = document.getElementById('worker-' + label).textContent;
        inlineWorkers[label] = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      }
      return inlineWorkers[label];
    },
  };

  function header(headers, name) {
    for (var key in headers || {}) {
      if (key.toLowerCase() === name && headers[key] != null) return String(headers[key]);
    }
    return undefined;
  }

  function isSubscription(params, opts) {
    var doc = opts && opts.documentAST;
    var ops = doc ? doc.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; }) : [];
    var op = params.operationName
      ? ops.find(function (d) { return d.name && d.name.value === params.operationName; })
      : ops[0];
    if (op) return op.operation === 'subscription';
    return /^\s*subscription\b/.test(String(params.query || '').replace(/#[^\n]*/g, ''));
  }

  // One lazy client per token: it connects on the first subscription and closes when idle.
  var clients = {};
  function wsClient(authorization) {
    var key = authorization || '';
    if (!clients[key]) {
      clients[key] = graphqlWs.createClient({
        url: wsUrl.toString(),
        lazy: true,
        retryAttempts: 2,
        // 4xxx closes are the server's verdict (e.g. 4403 for a bad token): report them at once.
        shouldRetry: function (e) { return !(e && e.code >= 4000 && e.code < 5000); },
        connectionParams: authorization ? { authorization: authorization } : {},
      });
    }
    return clients[key];
  }

  async function* subscribe(params, headers) {
    var iterator = wsClient(header(headers, 'authorization')).iterate({
      query: params.query,
      operationName: params.operationName || undefined,
      variables: params.variables || undefined,
    });
    try {
      for (;;) {
        var step = await iterator.next();
        if (step.done) return;
        yield step.value;
      }
    } catch (err) {
      // graphql-ws rejects with a CloseEvent, which GraphiQL would show as "{}".
      if (err && typeof err.code === 'number') {
        var closed = new Error('WebSocket closed: ' + err.code + (err.reason ? ' ' + err.reason : ''));
        delete closed.stack;
        throw closed;
      }
      throw err;
    } finally {
      if (iterator.return) iterator.return();
    }
  }

  async function post(params, headers) {
    var sent = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    for (var key in headers || {}) if (headers[key] != null) sent[key] = String(headers[key]);
    var res = await fetch(httpUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: sent,
      body: JSON.stringify({
        query: params.query,
        operationName: params.operationName || undefined,
        variables: params.variables || undefined,
      }),
    });
    var text = await res.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error('HTTP ' + res.status + ': ' + text.slice(0, 500));
    }
  }

  function declaredOperations(query) {
    var names = [];
    var re = /(?:^|[^\w$])(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/g;
    var text = String(query || '').replace(/#[^\n]*/g, '');
    for (var m = re.exec(text); m; m = re.exec(text)) names.push(m[1]);
    return names;
  }

  function fetcher(params, opts) {
    var headers = (opts && opts.headers) || {};
    // Run right after a tab switch, GraphiQL may still hand over the previous tab's operation
    // name and parsed document with the new tab's text: the text wins.
    var names = declaredOperations(params.query);
    if (params.operationName && names.indexOf(params.operationName) < 0) {
      params = Object.assign({}, params, { operationName: names.length === 1 ? names[0] : undefined });
      opts = Object.assign({}, opts, { documentAST: undefined });
    }
    return isSubscription(params, opts) ? subscribe(params, headers) : post(params, headers);
  }

  // GraphiQL keeps its tabs in localStorage and shows the stored ones instead of the defaults.
  // Keys are namespaced by the page's defaults, so a server with other examples or tokens
  // opens on its own tabs while edits survive a reload of the same page.
  var prefix = 'playground:' + config.storageKey + ':';
  var storage = {
    getItem: function (k) { return localStorage.getItem(prefix + k); },
    setItem: function (k, v) { localStorage.setItem(prefix + k, v); },
    removeItem: function (k) { localStorage.removeItem(prefix + k); },
    clear: function () {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(prefix) === 0) localStorage.removeItem(k);
      }
    },
    get length() {
      var n = 0;
      for (var i = 0; i < localStorage.length; i++) {
        if ((localStorage.key(i) || '').indexOf(prefix) === 0) n++;
      }
      return n;
    },
  };

  // With stored tabs, GraphiQL appends a tab for the initial query unless one matches it; name
  // the stored active tab as the initial one so a reload shows exactly what was left.
  function storedActiveTab() {
    try {
      var state = JSON.parse(storage.getItem('graphiql:tabState') || 'null');
      return state && state.tabs && state.tabs[state.activeTabIndex];
    } catch (e) {
      return undefined;
    }
  }

  function render() {
    var options = {
      title: config.titleHtml,
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: config.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      // Yoga mirrors the query into ?query=; a reload would then be a GraphQL GET, not this
      // page. Tabs are kept in localStorage anyway.
      onEditQuery: function () {},
    };
    if (config.tabs) {
      options.defaultTabs = config.tabs;
      options.storage = storage;
      // On a first visit the editors show the initial values, not the first tab's: without
      // these its Variables editor would be empty.
      var active = storedActiveTab() || config.tabs[0];
      if (active) {
        options.initialQuery = active.query;
        options.initialVariables = active.variables;
        options.initialHeaders = active.headers;
      }
    }
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render);
  else render();
})();
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Keeps text placed inside a <script> element from ending it early. */
function scriptText(s: string): string {
  return s.replace(/<\/(script)/gi, '<\\/$1');
}

function defaultQuery(title: string): string {
  return `# ${title}
#
# Sign in: open "Headers" below and paste
#   { "Authorization": "Bearer <token>" }
# then re-fetch the schema (the refresh icon in the left sidebar).
#
# Queries and mutations go over HTTP with those headers. Subscriptions go
# over WebSocket (graphql-transport-ws) and send the same value as
# connectionParams.authorization.
#
# Run with Ctrl-Enter.

query Ping {
  __typename
}
`;
}

let bundle: GraphiqlBundle | undefined;
function graphiql(): GraphiqlBundle {
  // Loaded on first use: the bundle is ~9 MB of strings that a server without the
  // playground never needs in memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundle ??= require('@graphql-yoga/render-graphiql/graphiql') as GraphiqlBundle;
  return bundle;
}

let graphqlWsSource: string | undefined;
function graphqlWsUmd(): string {
  graphqlWsSource ??= readFileSync(
    join(dirname(require.resolve('graphql-ws/package.json')), 'umd', 'graphql-ws.min.js'),
    'utf8',
  );
  return graphqlWsSource;
}

/**
 * A complete GraphiQL page that needs no network access besides the API itself: React,
 * GraphiQL, the Monaco editor workers and the graphql-ws client all come from this server.
 */
export function playgroundHtml(opts: PlaygroundOptions): string {
  const title = opts.title ?? 'GraphQL Playground';
  const base = opts.assetBase?.replace(/\/+$/, '');
  // GraphiQL takes a tab's variables and headers as the editors' JSON text.
  const tabs = opts.tabs?.map((t) => ({
    query: t.query,
    variables: t.variables ? JSON.stringify(t.variables, null, 2) : null,
    headers: t.headers ? JSON.stringify(t.headers, null, 2) : null,
  }));
  const config = {
    endpoint: opts.endpoint,
    subscriptionEndpoint: opts.subscriptionEndpoint,
    // GraphiQL renders the title as HTML.
    titleHtml: escapeHtml(title),
    defaultQuery: defaultQuery(title),
    defaultHeaders: opts.defaultHeaders ? JSON.stringify(opts.defaultHeaders, null, 2) : undefined,
    tabs: tabs?.length ? tabs : undefined,
    storageKey: createHash('sha256')
      .update(JSON.stringify([opts.defaultHeaders ?? null, tabs ?? null]))
      .digest('hex')
      .slice(0, 12),
    workers:
      base === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(WORKERS).map(([label, file]) => [label, `${base}/${file}`]),
          ),
  };
  // JSON with "<" escaped can sit in any element without closing it.
  const configJson = JSON.stringify(config).replace(/</g, '\\u003c');

  let head: string;
  let body: string;
  if (base !== undefined) {
    head = `<link rel="icon" href="${escapeHtml(base)}/favicon.ico" />
    <link rel="stylesheet" href="${escapeHtml(base)}/graphiql.css" />`;
    body = ['playground.js', 'graphql-ws.js', 'graphiql.js']
      .map((f) => `<script src="${escapeHtml(`${base}/${f}`)}"></script>`)
      .join('\n    ');
  } else {
    const g = graphiql();
    head = `<link rel="icon" href="${g.favicon}" />
    <style>${g.css.replace(/<\/(style)/gi, '<\\/$1')}</style>`;
    const workers = {
      editorWorkerService: g.editorWorkerService,
      json: g.jsonWorker,
      graphql: g.graphqlWorker,
    };
    body = [
      // Non-executing blocks; the bootstrap turns them into blob: workers on demand.
      ...Object.entries(workers).map(
        ([label, src]) =>
          `<script type="text/plain" id="worker-${label}">${scriptText(src)}</script>`,
      ),
      `<script>${scriptText(BOOTSTRAP)}</script>`,
      `<script>${scriptText(graphqlWsUmd())}</script>`,
      `<script>${scriptText(g.js)}</script>`,
    ].join('\n    ');
  }

  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${escapeHtml(title)}</title>
    ${head}
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>The GraphQL playground needs JavaScript.</noscript>
    <div id="root"></div>
    <script type="application/json" id="playground-config">${configJson}</script>
    ${body}
  </body>
</html>
`;
}

/**
 * A file the page links when built with `assetBase`; `path` is relative to that base
 * (`graphiql.js`, `/graphiql.css`, ...). null for anything else.
 */
export function playgroundAsset(path: string): PlaygroundAsset | null {
  const name = path.replace(/^\/+/, '');
  switch (name) {
    case 'playground.js':
      return { body: BOOTSTRAP, contentType: JS };
    case 'graphql-ws.js':
      return { body: graphqlWsUmd(), contentType: JS };
    case 'graphiql.js':
      return { body: graphiql().js, contentType: JS };
    case 'graphiql.css':
      return { body: graphiql().css, contentType: 'text/css; charset=utf-8' };
    case 'favicon.ico': {
      const dataUrl = graphiql().favicon;
      const comma = dataUrl.indexOf(',');
      return { body: Buffer.from(dataUrl.slice(comma + 1), 'base64'), contentType: 'image/x-icon' };
    }
    case WORKERS.editorWorkerService:
      return { body: graphiql().editorWorkerService, contentType: JS };
    case WORKERS.json:
      return { body: graphiql().jsonWorker, contentType: JS };
    case WORKERS.graphql:
      return { body: graphiql().graphqlWorker, contentType: JS };
    default:
      return null;
  }
}

/** Where the page served at /graphql links its scripts, styles and editor workers from. */
export const PLAYGROUND_ASSETS = '/graphql/assets/';
let page: string | undefined;
let pageOptions: Pick<PlaygroundOptions, 'defaultHeaders' | 'tabs'> = {};

/**
 * What the page served at /graphql opens with: a prefilled Headers editor and pre-loaded tabs
 * (e.g. demo tokens and examples on a development server). Applies to pages served after it.
 */
export function setPlaygroundDefaults(
  defaults: Pick<PlaygroundOptions, 'defaultHeaders' | 'tabs'>,
): void {
  pageOptions = defaults;
  page = undefined;
}

/** The page served at /graphql (built once per set of defaults), its assets under PLAYGROUND_ASSETS. */
export function playgroundPage(): string {
  page ??= playgroundHtml({
    endpoint: '/graphql',
    subscriptionEndpoint: '/graphql',
    title: 'Disputes API',
    assetBase: PLAYGROUND_ASSETS,
    ...pageOptions,
  });
  return page;
}
