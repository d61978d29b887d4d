import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FacturaStatus } from '../../src/db/schema';
import { zonaHoraria } from '../../src/cfdi';
import { cursorId, toPage } from '../../src/lib/pagination';
import type { Tenant } from '../../src/lib/tenancy';
import type { MotivoCancelacion } from '../../src/pac/types';
import { listarAplicaciones } from '../../src/services/aplicaciones';
import { acuseDe, type Archivo, pdfDe, xmlDe } from '../../src/services/archivos';
import { cancelarComprobante, MOTIVOS_CANCELACION } from '../../src/services/cancelacion';
import { type Aplicacion, cargarComprobante, historial, listarComprobantes, type TipoComprobante } from '../../src/services/comprobantes';
import { type Factura, VIGENTES } from '../../src/services/estado';
import { recibosNominaDe } from '../../src/services/recibos-nomina';
import { buscarFacturas, pagadoPorComplemento, relacionesDe } from '../../src/services/saldos';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, SelectField, TextField } from '../components/form';
import { Csrf, type Flash, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, Empty, ESTADOS_FACTURA, FACTURA_STATUS, ModeBadge, StatusBadge, Tabla } from '../components/ui';
import { enFormulario } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { aviso, currentMode, dinero, fecha, formFields, page, redirectWith, TIPO_COMPROBANTE } from '../render';

const PAGE_SIZE = 25;

interface Filtros {
  status: string;
  tipo: string;
  rfc: string;
  q: string;
  desde: string;
  hasta: string;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function leerFiltros(c: Context<AdminEnv>): Filtros {
  const q = (k: string) => (c.req.query(k) ?? '').trim();
  return {
    status: (ESTADOS_FACTURA as readonly string[]).includes(q('status')) ? q('status') : '',
    tipo: Object.hasOwn(TIPO_COMPROBANTE, q('tipo')) ? q('tipo') : '',
    rfc: q('rfc').toUpperCase().slice(0, 13),
    q: q('q').slice(0, 40),
    desde: DAY_RE.test(q('desde')) ? q('desde') : '',
    hasta: DAY_RE.test(q('hasta')) ? q('hasta') : '',
  };
}


const tenantOfApp = (c: Context<AdminEnv>, app: Aplicacion): Tenant => ({ applicationId: app.id, mode: currentMode(c) });

const appCrumbs = (app: Aplicacion) => [
  { href: '/admin/aplicaciones', label: 'Aplicaciones' },
  { href: `/admin/aplicaciones/${app.id}`, label: app.name },
];

/** "F-12"; a draft has no folio until it is sent to stamp: "F (borrador)". */
export const folioDe = (f: Pick<Factura, 'serie' | 'folio' | 'status'>) =>
  f.status === 'borrador' ? `${f.serie} (borrador)` : `${f.serie}${f.serie ? '-' : ''}${f.folio}`;

/** How a page names a comprobante and its cancellation, by tipo (a complemento is no factura). */
const NOMBRE_TIPO = { I: 'Factura', E: 'Nota de crédito', P: 'Complemento de pago', N: 'Recibo de nómina', T: 'Traslado' } as const;
// A Fecha is wall-clock time at the emisor's lugar de expedición.
const fechaComprobante = (f: Pick<Factura, 'fecha'>, app: Aplicacion) => fecha(f.fecha, zonaHoraria(app.lugar_expedicion));

const STATUS_OPTIONS = ESTADOS_FACTURA.map((s) => ({ value: s, label: FACTURA_STATUS[s].label }));
const TIPO_OPTIONS = Object.entries(TIPO_COMPROBANTE).map(([value, label]) => ({ value, label }));

/** SAT catalog c_MotivoCancelacion. */
const MOTIVOS: Record<MotivoCancelacion, string> = {
  '01': 'Comprobante emitido con errores con relación',
  '02': 'Comprobante emitido con errores sin relación',
  '03': 'No se llevó a cabo la operación',
  '04': 'Operación nominativa relacionada en una factura global',
};
const MOTIVO_OPTIONS = MOTIVOS_CANCELACION.map((m) => ({ value: m, label: `${m} — ${MOTIVOS[m]}` }));
const motivoTexto = (m: string) => (m in MOTIVOS ? `${m} — ${MOTIVOS[m as MotivoCancelacion]}` : m);

/** The statuses the cancellation service accepts (a CFDI still valid at the SAT); others get no form. */
const CANCELABLES: readonly FacturaStatus[] = VIGENTES;

interface CancelarForm {
  motivo: string;
  folio_sustitucion: string;
}
const CANCELAR_VACIO: CancelarForm = { motivo: '', folio_sustitucion: '' };

export const facturasPages = new Hono<AdminEnv>();

/** The invoices section starts at an application's list: invoices always belong to one tenant. */
export async function facturasIndex(c: Context<AdminEnv>) {
  const apps = await listarAplicaciones(c.var.deps);
  const wanted = c.req.query('app');
  const target = apps.find((a) => a.id === wanted) ?? (apps.length === 1 ? apps[0] : undefined);
  if (target) return c.redirect(`/admin/aplicaciones/${target.id}/facturas`, 303);
  return page(
    c,
    { title: 'Facturas', section: 'facturas' },
    <>
      <PageHead title="Facturas" subtitle="Elige la aplicación (emisor) cuyas facturas quieres ver." />
      <div class="tablewrap">
        {apps.length ? (
          <Tabla columnas={['Aplicación', 'RFC']}>
            {apps.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/aplicaciones/${a.id}/facturas`}>{a.name}</a>
                </td>
                <td class="mono">{a.rfc}</td>
              </tr>
            ))}
          </Tabla>
        ) : (
          <Empty>
            Aún no hay aplicaciones. <a href="/admin/aplicaciones/nueva">Crea una</a>.
          </Empty>
        )}
      </div>
    </>,
  );
}

facturasPages.get('/:appId/facturas', async (c) => {
  const app = await loadApp(c);
  const tenant = tenantOfApp(c, app);
  const f = leerFiltros(c);
  // A mangled cursor in the address bar just starts over at the first page.
  const cursor = c.req.query('cursor');
  const rows = await listarComprobantes(
    c.var.deps,
    tenant,
    {
      status: (f.status || undefined) as FacturaStatus | undefined,
      tipo: (f.tipo || undefined) as TipoComprobante | undefined,
      receptorRfc: f.rfc,
      desde: f.desde,
      hasta: f.hasta,
      texto: f.q,
    },
    { limit: PAGE_SIZE, cursor: cursor && cursorId(cursor) ? cursor : undefined },
  );
  const { data: shown, next_cursor } = toPage(rows, PAGE_SIZE, (r) => r);
  const [pagado, recibos] = await Promise.all([
    pagadoPorComplemento(c.var.deps, tenant, shown.filter((r) => r.tipo === 'P').map((r) => r.id)),
    recibosNominaDe(c.var.deps, tenant, shown.filter((r) => r.tipo === 'N').map((r) => r.id)),
  ]);
  const params = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
  if (next_cursor) params.set('cursor', next_cursor);
  const base = `/admin/aplicaciones/${app.id}/facturas`;
  return page(
    c,
    { title: `Facturas · ${app.name}`, section: 'facturas' },
    <>
      <PageHead title={app.name} crumbs={appCrumbs(app)}>
        <AppStatus app={app} />
      </PageHead>
      <FlashMessage flash={aviso(c)} />
      <AppTabs appId={app.id} current="facturas" />
      <form method="get" action={base} class="filters card" role="search" aria-label="Filtrar facturas">
        <SelectField name="status" label="Estado" options={STATUS_OPTIONS} value={f.status} blank="Todos" />
        <SelectField name="tipo" label="Tipo" options={TIPO_OPTIONS} value={f.tipo} blank="Todos" />
        <TextField name="rfc" label="RFC receptor" value={f.rfc} maxlength={13} />
        <TextField name="q" label="Folio, UUID o nombre" type="search" value={f.q} />
        <TextField name="desde" label="Desde" type="date" value={f.desde} />
        <TextField name="hasta" label="Hasta" type="date" value={f.hasta} />
        <div class="formactions">
          <button type="submit" class="btn">
            Filtrar
          </button>
          <a href={base}>Limpiar</a>
        </div>
      </form>
      <p class="muted small">
        Modo <ModeBadge mode={tenant.mode} /> — cambia a {tenant.mode === 'test' ? 'producción' : 'pruebas'} con el selector de arriba.
      </p>
      <div class="tablewrap">
        {shown.length ? (
          <Tabla columnas={['Folio', 'Tipo', 'Receptor', 'Fecha', { titulo: 'Total', clase: 'num' }, 'Estado', 'UUID']}>
            {shown.map((r) => (
              <tr>
                <td>
                  <a href={`${base}/${r.id}`}>{folioDe(r)}</a>
                </td>
                <td>{TIPO_COMPROBANTE[r.tipo]}</td>
                <td>
                  {r.receptor_nombre}
                  <br />
                  <span class="mono small muted">{r.receptor_rfc}</span>
                  {recibos.has(r.id) ? (
                    <>
                      <br />
                      <span class="mono small muted">CURP {recibos.get(r.id)!.curp}</span>
                    </>
                  ) : null}
                </td>
                <td>{fechaComprobante(r, app)}</td>
                <td class="num">
                  <Importe factura={r} pagado={pagado.get(r.id) ?? []} neto={recibos.get(r.id)?.neto} />
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td class="mono small">{r.uuid ?? '—'}</td>
              </tr>
            ))}
          </Tabla>
        ) : (
          <Empty>No hay facturas con estos filtros en este modo.</Empty>
        )}
      </div>
      {next_cursor ? (
        <p class="mt">
          <a class="btn btn-secondary" href={`${base}?${params}`}>
            Siguientes →
          </a>
        </p>
      ) : null}
    </>,
  );
});

/**
 * A row's amount. A complemento's Total is 0: it shows what it paid, in the paid invoices' currency; a recibo de
 * nómina, the neto the employee receives; a traslado carries none.
 */
function Importe({ factura, pagado, neto }: { factura: Factura; pagado: { moneda: string; importe: string }[]; neto?: string }) {
  if (factura.tipo === 'N' && neto) return <Etiquetado importes={[{ importe: neto, moneda: factura.moneda }]} etiqueta="neto" />;
  if (factura.tipo === 'P') return <Etiquetado importes={pagado} etiqueta="pagado" />;
  if (factura.tipo === 'T') return <>—</>;
  return <>{dinero(factura.total, factura.moneda)}</>;
}

const Etiquetado = ({ importes, etiqueta }: { importes: { moneda: string; importe: string }[]; etiqueta: string }) =>
  importes.length ? (
    <>
      {importes.map((i, n) => (
        <>
          {n ? <br /> : null}
          {dinero(i.importe, i.moneda)}
        </>
      ))}
      <br />
      <span class="small muted">{etiqueta}</span>
    </>
  ) : (
    '—'
  );

const loadFactura = (c: Context<AdminEnv>, app: Aplicacion): Promise<Factura> =>
  cargarComprobante(c.var.deps, tenantOfApp(c, app), c.req.param('facturaId') ?? '');

async function DetailPage(
  c: Context<AdminEnv>,
  app: Aplicacion,
  factura: Factura,
  cancelar: { form: CancelarForm; errors: FieldErrors; flash?: Flash } = { form: CANCELAR_VACIO, errors: {} },
  status: ContentfulStatusCode = 200,
) {
  const tenant = tenantOfApp(c, app);
  const [historia, relaciones] = await Promise.all([historial(c.var.deps, tenant, factura.id), relacionesDe(c.var.deps, tenant, factura)]);
  const documentos = relaciones.aplicaciones ? await buscarFacturas(c.var.deps, tenant, relaciones.aplicaciones.map((a) => a.factura_id)) : new Map<string, Factura>();
  const base = `/admin/aplicaciones/${app.id}/facturas/${factura.id}`;
  return page(
    c,
    { title: `${NOMBRE_TIPO[factura.tipo]} ${folioDe(factura)}`, section: 'facturas' },
    <>
      <PageHead title={`${NOMBRE_TIPO[factura.tipo]} ${folioDe(factura)}`} crumbs={[...appCrumbs(app), { href: `/admin/aplicaciones/${app.id}/facturas`, label: 'Facturas' }]}>
        <StatusBadge status={factura.status} />
        {factura.xml_key ? (
          <a class="btn btn-secondary" href={`${base}/xml`} download>
            Descargar XML
          </a>
        ) : null}
        {factura.xml_key ? (
          <a class="btn btn-secondary" href={`${base}/pdf`} download>
            Descargar PDF
          </a>
        ) : null}
        {factura.acuse_key ? (
          <a class="btn btn-secondary" href={`${base}/acuse`} download>
            Descargar acuse de cancelación
          </a>
        ) : null}
      </PageHead>
      <FlashMessage flash={cancelar.flash ?? aviso(c)} />
      <div class="grid">
        <section class="card">
          <h2>Comprobante</h2>
          <dl class="kv">
            <dt>Tipo</dt>
            <dd>{TIPO_COMPROBANTE[factura.tipo]}</dd>
            <dt>Serie y folio</dt>
            <dd>{folioDe(factura)}</dd>
            <dt>Fecha</dt>
            <dd>{fechaComprobante(factura, app)}</dd>
            <dt>Receptor</dt>
            <dd>
              {factura.receptor_nombre} <span class="mono">({factura.receptor_rfc})</span>
            </dd>
            <dt>Subtotal</dt>
            <dd>{dinero(factura.subtotal, factura.moneda)}</dd>
            <dt>Total</dt>
            <dd>
              <strong>{dinero(factura.total, factura.moneda)}</strong>
            </dd>
            <dt>Método de pago</dt>
            <dd>{factura.metodo_pago ?? '—'}</dd>
            <dt>Modo</dt>
            <dd>
              <ModeBadge mode={factura.mode} />
            </dd>
          </dl>
        </section>
        <section class="card">
          <h2>Timbre fiscal</h2>
          <dl class="kv">
            <dt>UUID (folio fiscal)</dt>
            <dd class="mono">{factura.uuid ?? '—'}</dd>
            <dt>Fecha de timbrado</dt>
            <dd>{fecha(factura.fecha_timbrado)}</dd>
            <dt>No. certificado SAT</dt>
            <dd class="mono">{factura.no_certificado_sat ?? '—'}</dd>
            <dt>PAC</dt>
            <dd class="mono">{factura.pac ?? (factura.pac_incierto ? `${factura.pac_incierto} (sin confirmar)` : '—')}</dd>
            <dt>Intentos</dt>
            <dd>{factura.intentos}</dd>
            {factura.cancelacion_motivo ? (
              <>
                <dt>Motivo de cancelación</dt>
                <dd>{motivoTexto(factura.cancelacion_motivo)}</dd>
              </>
            ) : null}
            {factura.cancelacion_folio_sustitucion ? (
              <>
                <dt>Sustituida por</dt>
                <dd class="mono">{factura.cancelacion_folio_sustitucion}</dd>
              </>
            ) : null}
          </dl>
          {factura.errores?.length ? (
            <div class="alert alert-error mt">
              Errores:
              <ul>
                {factura.errores.map((e) => (
                  <li>
                    <code>{e.code}</code> {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      </div>
      {relaciones.saldo ? <SaldoSection saldo={relaciones.saldo} moneda={factura.moneda} facturasDe={`/admin/aplicaciones/${app.id}/facturas`} /> : null}
      {relaciones.aplicaciones ? (
        <AplicacionesSection tipo={factura.tipo} aplicaciones={relaciones.aplicaciones} documentos={documentos} facturasDe={`/admin/aplicaciones/${app.id}/facturas`} />
      ) : null}
      {CANCELABLES.includes(factura.status) ? <CancelarSection nombre={NOMBRE_TIPO[factura.tipo].toLowerCase()} action={`${base}/cancelar`} csrf={c.get('session').csrf} {...cancelar} /> : null}
      <section class="card">
        <h2>Historial</h2>
        {historia.length ? (
          <ol class="timeline">
            {historia.map((ev) => (
              <li>
                <strong>{ev.type}</strong>{' '}
                {ev.status_nuevo ? (
                  <>
                    {ev.status_anterior ? `${FACTURA_STATUS[ev.status_anterior as FacturaStatus]?.label ?? ev.status_anterior} → ` : ''}
                    {FACTURA_STATUS[ev.status_nuevo as FacturaStatus]?.label ?? ev.status_nuevo}
                  </>
                ) : null}
                <div class="when">{fecha(ev.created_at)}</div>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">Sin eventos todavía.</p>
        )}
      </section>
    </>,
    status,
  );
}

type Relaciones = Awaited<ReturnType<typeof relacionesDe>>;
const Uuid = ({ uuid, href }: { uuid: string | null; href: string }) => <a class="mono small" href={href}>{uuid ?? '—'}</a>;

/** A PPD factura: what is still owed, and the complementos and notas de crédito that took from it. */
const SaldoSection = ({ saldo, moneda, facturasDe }: { saldo: NonNullable<Relaciones['saldo']>; moneda: string; facturasDe: string }) => (
  <section class="card" aria-labelledby="saldo-titulo">
    <h2 id="saldo-titulo">Saldo</h2>
    <dl class="kv">
      <dt>Saldo insoluto</dt>
      <dd>
        <strong>{dinero(saldo.saldo_insoluto, moneda)}</strong>
      </dd>
      <dt>Pagado</dt>
      <dd>{dinero(saldo.pagado, moneda)}</dd>
      <dt>Notas de crédito aplicadas</dt>
      <dd>{dinero(saldo.acreditado, moneda)}</dd>
    </dl>
    <h3>Pagos</h3>
    {saldo.pagos.length ? (
      <div class="tablewrap">
        <Tabla columnas={['Parcialidad', 'Complemento (UUID)', { titulo: 'Saldo anterior', clase: 'num' }, { titulo: 'Pagado', clase: 'num' }, { titulo: 'Saldo insoluto', clase: 'num' }, 'Estado']}>
          {saldo.pagos.map((p) => (
            <tr>
              <td>{p.num_parcialidad}</td>
              <td>
                <Uuid uuid={p.uuid} href={`${facturasDe}/${p.complemento_id}`} />
              </td>
              <td class="num">{dinero(p.imp_saldo_ant, moneda)}</td>
              <td class="num">{dinero(p.imp_pagado, moneda)}</td>
              <td class="num">{dinero(p.imp_saldo_insoluto, moneda)}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
            </tr>
          ))}
        </Tabla>
      </div>
    ) : (
      <p class="muted">Sin pagos todavía.</p>
    )}
    <h3>Notas de crédito aplicadas</h3>
    {saldo.notas_credito.length ? (
      <div class="tablewrap">
        <Tabla columnas={['Nota de crédito (UUID)', { titulo: 'Saldo anterior', clase: 'num' }, { titulo: 'Importe', clase: 'num' }, { titulo: 'Saldo insoluto', clase: 'num' }, 'Estado']}>
          {saldo.notas_credito.map((n) => (
            <tr>
              <td>
                <Uuid uuid={n.uuid} href={`${facturasDe}/${n.nota_credito_id}`} />
              </td>
              <td class="num">{dinero(n.imp_saldo_ant, moneda)}</td>
              <td class="num">{dinero(n.importe, moneda)}</td>
              <td class="num">{dinero(n.imp_saldo_insoluto, moneda)}</td>
              <td>
                <StatusBadge status={n.status} />
              </td>
            </tr>
          ))}
        </Tabla>
      </div>
    ) : (
      <p class="muted">Sin notas de crédito.</p>
    )}
  </section>
);

/** A complemento (or nota de crédito): the facturas it pays (or credits), each in its own currency. */
const AplicacionesSection = ({
  tipo,
  aplicaciones,
  documentos,
  facturasDe,
}: {
  tipo: Factura['tipo'];
  aplicaciones: NonNullable<Relaciones['aplicaciones']>;
  documentos: Map<string, Factura>;
  facturasDe: string;
}) => (
  <section class="card" aria-labelledby="aplicaciones-titulo">
    <h2 id="aplicaciones-titulo">{tipo === 'P' ? 'Facturas que paga' : 'Facturas a las que se aplica'}</h2>
    {aplicaciones.length ? (
      <div class="tablewrap">
        <Tabla
          columnas={[
            'Factura (UUID)',
            ...(tipo === 'P' ? ['Parcialidad'] : []),
            { titulo: 'Saldo anterior', clase: 'num' },
            { titulo: tipo === 'P' ? 'Pagado' : 'Importe', clase: 'num' },
            { titulo: 'Saldo insoluto', clase: 'num' },
          ]}
        >
          {aplicaciones.map((a) => {
            const moneda = documentos.get(a.factura_id)?.moneda ?? 'MXN';
            return (
              <tr>
                <td>
                  <Uuid uuid={a.uuid} href={`${facturasDe}/${a.factura_id}`} />
                </td>
                {tipo === 'P' ? <td>{a.num_parcialidad}</td> : null}
                <td class="num">{dinero(a.imp_saldo_ant, moneda)}</td>
                <td class="num">{dinero(a.importe, moneda)}</td>
                <td class="num">{dinero(a.imp_saldo_insoluto, moneda)}</td>
              </tr>
            );
          })}
        </Tabla>
      </div>
    ) : (
      <p class="muted">Ninguna.</p>
    )}
  </section>
);

const CancelarSection = ({ nombre, action, csrf, form, errors }: { nombre: string; action: string; csrf: string; form: CancelarForm; errors: FieldErrors }) => (
  <section class="card" id="cancelar" aria-labelledby="cancelar-titulo">
    <h2 id="cancelar-titulo">Cancelar {nombre}</h2>
    <p class="muted small">La cancelación se solicita al SAT a través del PAC; el estado pasa a «Cancelación pendiente» hasta su respuesta.</p>
    <ErrorSummary errors={errors} message={errors.form} />
    <form method="post" action={action} class="stack" novalidate>
      <Csrf token={csrf} />
      <SelectField name="motivo" label="Motivo (SAT)" options={MOTIVO_OPTIONS} value={form.motivo} error={errors.motivo} blank="Elige un motivo" required />
      <TextField
        name="folio_sustitucion"
        label="Folio fiscal (UUID) del CFDI que la sustituye"
        value={form.folio_sustitucion}
        error={errors.folio_sustitucion}
        hint="Solo con el motivo 01, y entonces obligatorio: un CFDI timbrado del mismo receptor."
        maxlength={36}
      />
      <div class="formactions">
        <button type="submit" class="btn btn-danger">
          Cancelar {nombre}
        </button>
      </div>
    </form>
  </section>
);

facturasPages.get('/:appId/facturas/:facturaId', async (c) => {
  const app = await loadApp(c);
  return DetailPage(c, app, await loadFactura(c, app));
});

facturasPages.post('/:appId/facturas/:facturaId/cancelar', async (c) => {
  const app = await loadApp(c);
  const factura = await loadFactura(c, app);
  const f = await formFields(c);
  const form: CancelarForm = { motivo: (f.motivo ?? '').trim(), folio_sustitucion: (f.folio_sustitucion ?? '').trim() };
  return enFormulario(
    // An empty field is no folio: the service refuses a folio with any motivo but 01.
    () => cancelarComprobante(c.var.deps, tenantOfApp(c, app), factura.id, { motivo: form.motivo, folio_sustitucion: form.folio_sustitucion || undefined }),
    // The row may have moved meanwhile (the service's 503 closes the request as cancelacion_rechazada).
    async (r) => DetailPage(c, app, await loadFactura(c, app), { form, errors: r.errors, flash: r.flash }, r.status),
    () => redirectWith(c, `/admin/aplicaciones/${app.id}/facturas/${factura.id}`, 'factura_cancelacion'),
  );
});

// The files of an invoice, through the same service as the API's downloads.
const ARCHIVOS: Record<string, (deps: AdminEnv['Variables']['deps'], t: Tenant, id: string) => Promise<Archivo>> = { xml: xmlDe, pdf: pdfDe, acuse: acuseDe };

for (const [kind, archivoDe] of Object.entries(ARCHIVOS)) {
  facturasPages.get(`/:appId/facturas/:facturaId/${kind}`, async (c) => {
    const app = await loadApp(c);
    const archivo = await archivoDe(c.var.deps, tenantOfApp(c, app), c.req.param('facturaId') ?? '');
    return new Response(archivo.body, {
      headers: {
        'Content-Type': archivo.contentType,
        'Content-Disposition': `attachment; filename="${archivo.nombre.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  });
}
