// /openapi.json and the interactive /docs page (Swagger UI, served from the swagger-ui-dist
// package: no CDN, so it works where the API has no internet). Both are public: the document
// holds no data, and the page asks for a key before it calls anything.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Hono } from 'hono';
import { openApiDocument } from './openapi.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };
const assetsDir = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Callback service API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/assets/start.js"></script>
</body>
</html>`;

// A file of its own rather than an inline script, so that a strict Content-Security-Policy holds.
const START = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#docs',
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});`;

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";

/** Mounted at the root, after every other route, so that the document sees them all. */
export function docsRouter(app: Hono) {
  let document: string | undefined;
  const assets = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(join(assetsDir, name))]));
  return new Hono()
    .get('/openapi.json', (c) => {
      document ??= JSON.stringify(openApiDocument(app, { version }));
      return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' });
    })
    .get('/docs', (c) => c.html(PAGE, 200, { 'content-security-policy': CSP }))
    .get('/docs/assets/start.js', (c) => c.body(START, 200, { 'content-type': 'text/javascript; charset=utf-8' }))
    .get('/docs/assets/:file', (c) => {
      const file = c.req.param('file');
      const body = assets.get(file);
      if (!body) return c.notFound();
      return c.body(new Uint8Array(body), 200, { 'content-type': ASSETS[file]!, 'cache-control': 'public, max-age=86400' });
    });
}
