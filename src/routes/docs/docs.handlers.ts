import type { RouteHandler } from '@hono/zod-openapi';
import { API_BASE } from '../../env';
import type { AppEnv } from '../../lib/context';
import { fromBase64 } from '../../lib/crypto';
import { DomainError } from '../../lib/errors';
import { assets as swaggerUi, SWAGGER_UI_VERSION } from './assets.gen';
import type { asset, docs } from './docs.routes';
import { CHROME_ES } from './swagger-ui-es';

const ASSETS_PATH = `${API_BASE}/docs/assets`;
const assetUrl = (name: string) => `${ASSETS_PATH}/${name}?v=${SWAGGER_UI_VERSION}`;

// Our own start-up script, served as a file so the page needs no inline script (CSP script-src 'self').
const INIT_JS = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(`${API_BASE}/openapi.json`)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

// Swagger UI's chrome in Spanish: every text node, placeholder, title and aria-label that is exactly one of its
// strings, now and whenever React renders more (the observer). Values are not keys, so it settles.
const TRADUCTOR_JS = `(function () {
  var ES = ${JSON.stringify(CHROME_ES)};
  var ATRIBUTOS = ['placeholder', 'title', 'aria-label', 'value'];
  function traducido(texto) {
    var t = texto.trim();
    return Object.prototype.hasOwnProperty.call(ES, t) ? texto.replace(t, ES[t]) : null;
  }
  function traducir(nodo) {
    if (nodo.nodeType === 3) {
      var v = traducido(nodo.nodeValue);
      if (v !== null) nodo.nodeValue = v;
      return;
    }
    if (nodo.nodeType !== 1) return;
    // The API's own text (descriptions, examples, bodies) is never chrome.
    if (nodo.closest('.markdown, .renderedMarkdown, pre, code, textarea')) return;
    ATRIBUTOS.forEach(function (a) {
      if (a === 'value' && nodo.tagName !== 'INPUT') return;
      if (a === 'value' && nodo.type !== 'button' && nodo.type !== 'submit') return;
      var v = nodo.getAttribute(a);
      var t = v === null ? null : traducido(v);
      if (t !== null) nodo.setAttribute(a, t);
    });
    for (var h = nodo.firstChild; h; h = h.nextSibling) traducir(h);
  }
  function dentroDeApi(nodo) {
    var e = nodo.nodeType === 1 ? nodo : nodo.parentElement;
    return !e || !!e.closest('.markdown, .renderedMarkdown, pre, code, textarea');
  }
  new MutationObserver(function (cambios) {
    cambios.forEach(function (c) {
      if (dentroDeApi(c.target)) return;
      if (c.type === 'characterData') traducir(c.target);
      else if (c.type === 'attributes') traducir(c.target);
      else c.addedNodes.forEach(traducir);
    });
  }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATRIBUTOS });
  traducir(document.body);
})();
`;
const PAGE_CSS = 'body { margin: 0; background: #fafafa; } .swagger-ui .information-container { padding-top: 1rem; }\n';

interface Served {
  type: string;
  body: string | Uint8Array<ArrayBuffer>;
}
const files = new Map<string, Served>([
  ...Object.entries(swaggerUi).map(([name, a]): [string, Served] => [name, { type: a.type, body: a.encoding === 'base64' ? fromBase64(a.body) : a.body }]),
  ['hexafac-docs.js', { type: 'text/javascript; charset=utf-8', body: TRADUCTOR_JS + INIT_JS }],
  ['hexafac-docs.css', { type: 'text/css; charset=utf-8', body: PAGE_CSS }],
]);

const PAGE = `<!doctype html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>HexaFac API · Documentación</title>
  <link rel="icon" type="image/png" href="${assetUrl('favicon-32x32.png')}">
  <link rel="stylesheet" href="${assetUrl('swagger-ui.css')}">
  <link rel="stylesheet" href="${assetUrl('hexafac-docs.css')}">
</head>
<body>
  <noscript>La documentación interactiva necesita JavaScript; el documento está en <a href="${API_BASE}/openapi.json">${API_BASE}/openapi.json</a>.</noscript>
  <div id="swagger-ui"></div>
  <script src="${assetUrl('swagger-ui-bundle.js')}"></script>
  <script src="${assetUrl('hexafac-docs.js')}"></script>
</body>
</html>
`;

/** Only this origin: the browser itself refuses anything the page might try to load from elsewhere. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const docsHandler: RouteHandler<typeof docs, AppEnv> = (c) =>
  c.body(PAGE, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });

export const assetHandler: RouteHandler<typeof asset, AppEnv> = (c) => {
  const file = files.get(c.req.valid('param').archivo);
  if (!file) throw DomainError.notFound('El archivo');
  return c.body(file.body, 200, {
    'Content-Type': file.type,
    'Cache-Control': 'public, max-age=86400',
    'X-Content-Type-Options': 'nosniff',
  });
};
