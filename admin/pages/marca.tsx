import { Hono, type Context } from 'hono';
import type { Aplicacion } from '../../src/services/comprobantes';
import { actualizarMarca, leerMarca, LOGO_MAX_BYTES, PIE_PAGINA_MAX, quitarLogo, subirLogo, vistaPrevia, type Marca } from '../../src/services/marca';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, FileField, TextArea } from '../components/form';
import { Csrf, FlashMessage, PageHead } from '../components/layout';
import { AppTabs } from '../components/ui';
import { enFormulario, type Rechazo } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { aviso, formFields, formFile, page, redirectWith } from '../render';

// "Identidad en el PDF": the operators edit an application's logo, color and footer with a live sketch of the
// PDF's header and footer (an SVG: its fill and text are attributes, which the panel's CSP lets a script change),
// and open the real sample PDF. Writes go through src/services/marca.ts like the platforms' API.

const COLOR_HEXAFAC = '#143D6E';

/**
 * The live preview: the color, footer and chosen file change the sketch before anything is saved. The panel's
 * CSP allows scripts from 'self' and images from 'self' and data: URLs, so the file is read as a data URL.
 */
export const MARCA_JS = `
(function () {
  var sketch = document.getElementById('marca-boceto');
  if (!sketch) return;
  var color = document.getElementById('color_primario');
  var pie = document.getElementById('pie_pagina');
  var logo = document.getElementById('logo');
  function pintar() {
    sketch.querySelectorAll('[data-acento]').forEach(function (el) { el.setAttribute('fill', color.value); });
  }
  function escribir() {
    var texto = pie.value.replace(/\\s+/g, ' ').trim();
    sketch.querySelector('[data-pie]').textContent = texto.length > 110 ? texto.slice(0, 110) + '…' : texto;
  }
  color.addEventListener('input', pintar);
  pie.addEventListener('input', escribir);
  logo.addEventListener('change', function () {
    var file = logo.files && logo.files[0];
    if (!file) return;
    var lector = new FileReader();
    lector.onload = function () { sketch.querySelector('[data-logo]').setAttribute('href', lector.result); };
    lector.readAsDataURL(file);
  });
})();
`;

/** The PDF's header band, a section title and the footer, as the PDF draws them (src/cfdi/pdf.ts). */
const Boceto = ({ app, marca, logoUrl }: { app: Aplicacion; marca: Marca; logoUrl: string }) => {
  const color = marca.color_primario ?? COLOR_HEXAFAC;
  return (
    <svg id="marca-boceto" viewBox="0 0 612 300" role="img" aria-label="Vista previa del encabezado y el pie del PDF" class="boceto">
      <rect x="0" y="0" width="612" height="300" fill="#FFFFFF" stroke="#C7CCD6" />
      <image data-logo x="36" y="24" width="150" height="54" preserveAspectRatio="xMinYMid meet" href={marca.logo ? logoUrl : ''} />
      <text x="36" y="100" font-size="14" font-weight="bold" fill={color} data-acento font-family="Helvetica, Arial, sans-serif">
        {app.razon_social}
      </text>
      <rect x="340" y="24" width="236" height="22" fill={color} data-acento />
      <text x="348" y="39" font-size="11" font-weight="bold" fill="#FFFFFF" font-family="Helvetica, Arial, sans-serif">
        FACTURA
      </text>
      <rect x="340" y="46" width="236" height="60" fill="none" stroke="#C7CCD6" />
      <rect x="36" y="130" width="540" height="14" fill={color} data-acento />
      <text x="41" y="140" font-size="7" font-weight="bold" fill="#FFFFFF" font-family="Helvetica, Arial, sans-serif">
        CLAVE PROD./SERV. · CANTIDAD · DESCRIPCIÓN · IMPORTE
      </text>
      <rect x="376" y="200" width="200" height="18" fill={color} data-acento />
      <text x="382" y="212" font-size="9" font-weight="bold" fill="#FFFFFF" font-family="Helvetica, Arial, sans-serif">
        Total MXN
      </text>
      <line x1="36" y1="268" x2="576" y2="268" stroke="#C7CCD6" />
      <text x="36" y="262" font-size="7" fill="#666E7A" data-pie font-family="Helvetica, Arial, sans-serif">
        {marca.pie_pagina ?? ''}
      </text>
      <text x="36" y="280" font-size="6.5" fill="#666E7A" font-family="Helvetica, Arial, sans-serif">
        Este documento es una representación impresa de un CFDI versión 4.0
      </text>
    </svg>
  );
};

const MarcaPage = (c: Context<AdminEnv>, app: Aplicacion, marca: Marca, r: Partial<Rechazo> & { valores?: Record<string, string> } = {}) => {
  const base = `/admin/aplicaciones/${app.id}/marca`;
  const csrf = c.get('session').csrf;
  const errors: FieldErrors = r.errors ?? {};
  const v = r.valores ?? {};
  return page(
    c,
    { title: `Identidad en el PDF · ${app.name}`, section: 'aplicaciones' },
    <>
      <PageHead
        title={app.name}
        crumbs={[
          { href: '/admin/aplicaciones', label: 'Aplicaciones' },
          { href: `/admin/aplicaciones/${app.id}`, label: app.name },
        ]}
      >
        <AppStatus app={app} />
      </PageHead>
      <FlashMessage flash={r.flash ?? aviso(c)} />
      <AppTabs appId={app.id} current="datos" />
      <h2>Identidad en el PDF</h2>
      <p class="muted">
        El logo, el color y el pie de página con que se generan los PDF de esta aplicación. Un cambio aplica a los PDF que se descarguen
        después, también de comprobantes ya timbrados.
      </p>
      <ErrorSummary errors={errors} message={errors.form} />
      <div class="grid">
        <section class="card">
          <h3>Vista previa</h3>
          <Boceto app={app} marca={marca} logoUrl={`${base}/logo`} />
          <p class="mt">
            <a class="btn btn-secondary" href={`${base}/vista-previa`} target="_blank" rel="noopener">
              Ver el PDF de ejemplo
            </a>
          </p>
        </section>
        <section class="card">
          <h3>Color y pie de página</h3>
          <form method="post" action={base} class="stack" novalidate>
            <Csrf token={csrf} />
            <div class="field">
              <label for="color_primario">Color primario</label>
              <input
                id="color_primario"
                name="color_primario"
                type="color"
                value={v.color_primario ?? marca.color_primario ?? COLOR_HEXAFAC}
                aria-invalid={errors.color_primario ? 'true' : undefined}
                aria-describedby="color_primario-hint"
              />
              {errors.color_primario ? (
                <span class="error" id="color_primario-error">
                  {errors.color_primario}
                </span>
              ) : null}
              <span class="hint" id="color_primario-hint">
                Los títulos van en blanco sobre él: necesita un contraste de al menos 3:1 con el blanco.
              </span>
            </div>
            <TextArea
              name="pie_pagina"
              label="Pie de página"
              value={v.pie_pagina ?? marca.pie_pagina ?? ''}
              error={errors.pie_pagina}
              hint={`Un párrafo de hasta ${PIE_PAGINA_MAX} caracteres; vacío, sin pie.`}
              maxlength={PIE_PAGINA_MAX}
            />
            <div class="formactions">
              <button type="submit" class="btn">
                Guardar color y pie
              </button>
              {marca.color_primario ? (
                <button type="submit" name="quitar_color" value="1" class="btn btn-secondary">
                  Volver al color de HexaFac
                </button>
              ) : null}
            </div>
          </form>
          <h3 class="mt">Logo</h3>
          <form method="post" action={`${base}/logo`} enctype="multipart/form-data" class="stack" novalidate>
            <Csrf token={csrf} />
            <FileField
              name="logo"
              label={marca.logo ? `Reemplazar el logo (actual: ${marca.logo.ancho}×${marca.logo.alto} px)` : 'Logo'}
              accept="image/png,image/jpeg"
              error={errors.logo}
              hint={`PNG o JPEG de hasta ${LOGO_MAX_BYTES / 1024} KB, de 16 a 4000 px por lado.`}
              required
            />
            <div class="formactions">
              <button type="submit" class="btn">
                Subir logo
              </button>
            </div>
          </form>
          {marca.logo ? (
            <form method="post" action={`${base}/logo/quitar`} class="inline mt">
              <Csrf token={csrf} />
              <button type="submit" class="btn btn-danger">
                Quitar el logo
              </button>
            </form>
          ) : null}
        </section>
      </div>
      <script src={`${base}/marca.js`} defer />
    </>,
    r.status,
  );
};

export const marca = new Hono<AdminEnv>();

marca.get('/:appId/marca/marca.js', () => new Response(MARCA_JS, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'private, max-age=300' } }));

marca.get('/:appId/marca', async (c) => {
  const app = await loadApp(c);
  return MarcaPage(c, app, await leerMarca(c.var.deps, app.id));
});

marca.post('/:appId/marca', async (c) => {
  const app = await loadApp(c);
  const f = await formFields(c);
  const cambios = { color_primario: f.quitar_color ? null : (f.color_primario ?? null), pie_pagina: f.pie_pagina ?? null };
  return enFormulario(
    () => actualizarMarca(c.var.deps, app.id, cambios),
    async (r) => MarcaPage(c, app, await leerMarca(c.var.deps, app.id), { ...r, valores: f }),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/marca`, 'app_guardada'),
  );
});

marca.post('/:appId/marca/logo', async (c) => {
  const app = await loadApp(c);
  const archivo = await formFile(c, 'logo');
  return enFormulario(
    async () => subirLogo(c.var.deps, app.id, archivo ? new Uint8Array(await archivo.arrayBuffer()) : new Uint8Array()),
    async (r) => MarcaPage(c, app, await leerMarca(c.var.deps, app.id), r),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/marca`, 'app_guardada'),
  );
});

marca.post('/:appId/marca/logo/quitar', async (c) => {
  const app = await loadApp(c);
  await quitarLogo(c.var.deps, app.id);
  return redirectWith(c, `/admin/aplicaciones/${app.id}/marca`, 'app_guardada');
});

/** The stored logo for the sketch (the CSP allows images from 'self'). */
marca.get('/:appId/marca/logo', async (c) => {
  const app = await loadApp(c);
  const objeto = app.logo_key ? await c.var.deps.bucket.get(app.logo_key) : null;
  if (!objeto) return c.notFound();
  return new Response(objeto.body, { headers: { 'Content-Type': app.logo_tipo ?? 'application/octet-stream', 'Cache-Control': 'private, no-cache' } });
});

marca.get('/:appId/marca/vista-previa', async (c) => {
  const app = await loadApp(c);
  return new Response(await vistaPrevia(c.var.deps, app.id), {
    headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="vista-previa.pdf"', 'Cache-Control': 'no-store' },
  });
});
