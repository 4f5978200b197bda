import { json } from '../platform/http';
import { PLAYGROUND_ASSETS, playgroundAsset, playgroundPage } from './playground';
import { asksForPage, type Route } from '../platform/routes';

/** The playground: its page at /graphql for a browser, and its assets under /graphql/assets/. */
export const playgroundRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/graphql',
    when: asksForPage,
    handle({ res }) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(playgroundPage());
    },
  },
  {
    methods: ['GET'],
    path: `${PLAYGROUND_ASSETS}*`,
    handle({ res, url }) {
      const asset = playgroundAsset(url.pathname.slice(PLAYGROUND_ASSETS.length));
      if (!asset) return json(res, 404, { error: 'Not found.' });
      res.writeHead(200, {
        'content-type': asset.contentType,
        'cache-control': 'public, max-age=3600',
      });
      res.end(asset.body);
    },
  },
];
