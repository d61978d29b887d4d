import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { catalogs } from '../../src/cfdi';
import { DomainError, zodDetails, type ErrorDetail } from '../../src/lib/errors';
import type { Tenant } from '../../src/lib/tenancy';
import { ComplementoPagoCrearSchema, FacturaCrearSchema } from '../../src/routes/comprobantes.schemas';
import { NotaCreditoCrearSchema } from '../../src/routes/notas-credito/notas-credito.routes';
import { listarClientes } from '../../src/services/clientes';
import { aceptarComplementoPago } from '../../src/services/complementos-pago';
import type { Aplicacion } from '../../src/services/comprobantes';
import type { Aceptada, OpcionesAceptar, Solicitud } from '../../src/services/emision';
import { aceptarFactura } from '../../src/services/facturas';
import { aceptarNotaCredito } from '../../src/services/notas-credito';
import type { Idempotent } from '../../src/lib/idempotency';
import type { AdminEnv } from '../auth';
import { ErrorSummary, type FieldErrors, SelectField, TextField } from '../components/form';
import { Csrf, type Flash, FlashMessage, PageHead } from '../components/layout';
import { AppTabs, ModeBadge } from '../components/ui';
import { rechazoDe } from '../errors';
import { AppStatus, loadApp } from './aplicaciones';
import { currentMode, formFields, page } from '../render';

// Issuing by hand: a factura, a nota de crédito or a complemento de pago, through the same schema and the same
// emission services as the API's creating routes. Each field is named after its path in the API's body
// (`receptor.rfc`, `conceptos[0].cantidad`), so a 422 detail lands beside the field it names. A hidden
// Idempotency-Key, drawn with the form, makes a double submission accept the comprobante once.

type Opcion = { value: string; label: string };
type ConClave = { id: string; texto: string; vigencia: { hasta?: string | null } };
const opciones = (l: readonly ConClave[], ids?: readonly string[]): Opcion[] =>
  l.filter((x) => !x.vigencia.hasta && (!ids || ids.includes(x.id))).map((x) => ({ value: x.id, label: `${x.id} · ${x.texto}` }));

const C = catalogs.catalogos;
const FORMAS_PAGO = opciones(C.formasPago);
const METODOS_PAGO = opciones(C.metodosPago);
const USOS = opciones(C.usosCfdi);
const REGIMENES = opciones(C.regimenesFiscales);
const OBJETOS_IMP = opciones(C.objetosImpuestos);
const MONEDAS = opciones(C.monedas, ['MXN', 'USD', 'EUR']);
// c_ClaveUnidad has thousands of keys; a form by hand needs the usual few.
const UNIDADES = opciones(C.clavesUnidades, ['E48', 'H87', 'ACT', 'KGM', 'LTR', 'MTR', 'HUR', 'DAY', 'MON', 'XBX']);

// The concepto's taxes as one choice; the service computes base and importe.
const TRASLADOS: Record<string, { impuesto: string; tipo_factor: string; tasa_o_cuota?: string }> = {
  iva16: { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' },
  iva8: { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.080000' },
  iva0: { impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.000000' },
  exento: { impuesto: '002', tipo_factor: 'Exento' },
};
const IMPUESTOS: Opcion[] = [
  { value: 'iva16', label: 'IVA 16 %' },
  { value: 'iva8', label: 'IVA 8 % (franja fronteriza)' },
  { value: 'iva0', label: 'IVA 0 %' },
  { value: 'exento', label: 'IVA exento' },
];

const FILAS_CONCEPTOS = 5;
const FILAS_DOCUMENTOS = 3;

type Campos = Record<string, string>;

/** "conceptos[0].cantidad" → ['conceptos', 0, 'cantidad']. */
const segmentos = (ruta: string): (string | number)[] =>
  ruta.split(/\.|(?=\[)/).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));

/**
 * The API's body from the form: each non-empty field at its path; a concepto's tax choice becomes its
 * impuestos; rows left empty after the last one filled are not sent.
 */
function cuerpoDe(campos: Campos): Solicitud {
  const body: Record<string, unknown> = {};
  for (const [ruta, crudo] of Object.entries(campos)) {
    const v = crudo.trim();
    if (!v || ruta.startsWith('_')) continue;
    const valor = ruta.endsWith('.impuestos') ? { traslados: [TRASLADOS[v] ?? {}] } : v;
    const s = segmentos(ruta);
    let o = body as Record<string | number, unknown>;
    s.forEach((k, i) => {
      if (i === s.length - 1) o[k] = valor;
      else o = (o[k] ??= typeof s[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    });
  }
  return sinHuecos(body) as Solicitud;
}

/** A row in the middle left empty is sent empty, so its errors show on its own fields. */
function sinHuecos(x: unknown): unknown {
  if (Array.isArray(x)) return Array.from(x, (y) => sinHuecos(y ?? {}));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, sinHuecos(y)]));
  return x;
}

/** "conceptos[0].impuestos" → "conceptos[0]" → "conceptos" → "". */
const padre = (ruta: string) => ruta.replace(/(?:\.[^.[]+|\[\d+\]|^[^.[]+)$/, '');

/** Each detail beside the field its path names, else its parent's, else its first child's; the rest go on top. */
function ubicar(details: readonly ErrorDetail[], nombres: readonly string[]): { errors: FieldErrors; generales: string[] } {
  const errors: FieldErrors = {};
  const generales: string[] = [];
  for (const d of details) {
    let campo: string | undefined;
    for (let p = d.path; p && !campo; p = padre(p)) if (nombres.includes(p)) campo = p;
    campo ??= d.path ? nombres.find((n) => n.startsWith(`${d.path}.`) || n.startsWith(`${d.path}[`)) : undefined;
    if (campo) errors[campo] ??= d.message;
    else generales.push(d.message);
  }
  return { errors, generales };
}

interface Tipo {
  slug: string;
  titulo: string;
  boton: string;
  schema: z.ZodType;
  aceptar: (deps: AdminEnv['Variables']['deps'], t: Tenant, s: Solicitud, o: OpcionesAceptar) => Promise<Idempotent<Aceptada>>;
  /** What the kind always sends, whatever the form posted. */
  fijos?: Campos;
  /** The form's fields below the receptor, given what was typed and where each error goes. */
  Campos: (p: { v: Campos; e: FieldErrors }) => Child;
}

const Texto = (p: { name: string; label: string; v: Campos; e: FieldErrors; hint?: string; inputmode?: 'numeric' | 'text'; maxlength?: number }) => (
  <TextField name={p.name} label={p.label} value={p.v[p.name]} error={p.e[p.name]} hint={p.hint} inputmode={p.inputmode} maxlength={p.maxlength} />
);
const Lista = (p: { name: string; label: string; options: Opcion[]; v: Campos; e: FieldErrors; blank?: string }) => (
  <SelectField name={p.name} label={p.label} options={p.options} value={p.v[p.name]} error={p.e[p.name]} blank={p.blank} />
);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function Conceptos({ v, e }: { v: Campos; e: FieldErrors }) {
  return (
    <fieldset class="card stack">
      <legend>Conceptos</legend>
      <p class="muted small">Llena una fila por concepto; las filas vacías al final no se envían.</p>
      {range(FILAS_CONCEPTOS).map((i) => {
        const n = (k: string) => `conceptos[${i}].${k}`;
        return (
          <fieldset class="concepto">
            <legend>Concepto {i + 1}</legend>
            <Texto name={n('clave_prod_serv')} label="Clave producto o servicio" v={v} e={e} inputmode="numeric" maxlength={8} />
            <Texto name={n('descripcion')} label="Descripción" v={v} e={e} />
            <Texto name={n('cantidad')} label="Cantidad" v={v} e={e} inputmode="numeric" />
            <Lista name={n('clave_unidad')} label="Clave de unidad" options={UNIDADES} v={v} e={e} blank="Elige…" />
            <Texto name={n('valor_unitario')} label="Valor unitario (sin impuestos)" v={v} e={e} inputmode="numeric" />
            <Lista name={n('objeto_imp')} label="Objeto de impuesto" options={OBJETOS_IMP} v={v} e={e} blank="Elige…" />
            <Lista name={n('impuestos')} label="Impuestos (con objeto 02)" options={IMPUESTOS} v={v} e={e} blank="Sin impuestos" />
          </fieldset>
        );
      })}
    </fieldset>
  );
}

function Pago({ v, e }: { v: Campos; e: FieldErrors }) {
  return (
    <>
      <Lista name="forma_pago" label="Forma de pago" options={FORMAS_PAGO} v={v} e={e} blank="Elige…" />
      <Lista name="metodo_pago" label="Método de pago" options={METODOS_PAGO} v={v} e={e} blank="Elige…" />
      <Lista name="moneda" label="Moneda" options={MONEDAS} v={v} e={e} />
      <Texto name="tipo_cambio" label="Tipo de cambio (si no es MXN)" v={v} e={e} inputmode="numeric" />
    </>
  );
}

const TIPOS: Tipo[] = [
  {
    slug: 'factura',
    titulo: 'Emitir factura',
    boton: 'Emitir factura',
    schema: FacturaCrearSchema,
    aceptar: aceptarFactura,
    Campos: (p) => (
      <>
        <Pago {...p} />
        <Conceptos {...p} />
      </>
    ),
  },
  {
    slug: 'nota-credito',
    titulo: 'Emitir nota de crédito',
    boton: 'Emitir nota de crédito',
    schema: NotaCreditoCrearSchema,
    aceptar: aceptarNotaCredito,
    fijos: { 'cfdi_relacionados[0].tipo_relacion': '01' },
    Campos: (p) => (
      <>
        <Texto name="cfdi_relacionados[0].uuids[0]" label="Folio fiscal (UUID) de la factura timbrada" {...p} />
        <Pago {...p} />
        <Conceptos {...p} />
      </>
    ),
  },
  {
    slug: 'complemento-pago',
    titulo: 'Emitir complemento de pago',
    boton: 'Emitir complemento de pago',
    schema: ComplementoPagoCrearSchema,
    aceptar: aceptarComplementoPago,
    Campos: ({ v, e }) => (
      <fieldset class="card stack">
        <legend>Pago recibido</legend>
        <Texto name="pagos[0].fecha_pago" label="Fecha de pago (AAAA-MM-DD)" v={v} e={e} />
        <Lista name="pagos[0].forma_pago" label="Forma de pago" options={FORMAS_PAGO.filter((o) => o.value !== '99')} v={v} e={e} blank="Elige…" />
        <Lista name="pagos[0].moneda" label="Moneda del pago" options={MONEDAS} v={v} e={e} />
        <Texto name="pagos[0].num_operacion" label="Número de operación (opcional)" v={v} e={e} />
        {range(FILAS_DOCUMENTOS).map((j) => (
          <fieldset class="concepto">
            <legend>Factura PPD pagada {j + 1}</legend>
            <Texto name={`pagos[0].documentos[${j}].uuid`} label="Folio fiscal (UUID)" v={v} e={e} />
            <Texto name={`pagos[0].documentos[${j}].imp_pagado`} label="Importe pagado (vacío: todo el saldo)" v={v} e={e} inputmode="numeric" />
          </fieldset>
        ))}
      </fieldset>
    ),
  },
];

const baseDe = (app: Aplicacion) => `/admin/aplicaciones/${app.id}/emitir`;
const tenantDe = (c: Context<AdminEnv>, app: Aplicacion): Tenant => ({ applicationId: app.id, mode: currentMode(c) });

/** Every field a kind's form draws, by name: where its errors can go. */
function nombresDe(tipo: Tipo): string[] {
  const html = String(<form>{tipo.Campos({ v: {}, e: {} })}</form>);
  return ['cliente_id', ...RECEPTOR.map((r) => `receptor.${r}`), ...[...html.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!)];
}

const RECEPTOR = ['rfc', 'nombre', 'domicilio_fiscal', 'regimen_fiscal', 'uso_cfdi'] as const;

async function FormPage(
  c: Context<AdminEnv>,
  app: Aplicacion,
  tipo: Tipo,
  s: { v: Campos; errors: FieldErrors; generales: string[]; flash?: Flash },
  status: ContentfulStatusCode = 200,
) {
  const { v, errors: e } = s;
  const { data: guardados } = await listarClientes(c.var.deps, tenantDe(c, app), { limit: 100 });
  const clientes = guardados.map((r) => ({ value: r.id, label: `${r.rfc} · ${r.nombre}` }));
  const crumbs = [
    { href: '/admin/aplicaciones', label: 'Aplicaciones' },
    { href: `/admin/aplicaciones/${app.id}`, label: app.name },
    { href: baseDe(app), label: 'Emitir' },
  ];
  return page(
    c,
    { title: `${tipo.titulo} · ${app.name}`, section: 'aplicaciones' },
    <>
      <PageHead title={tipo.titulo} crumbs={crumbs}>
        <AppStatus app={app} />
      </PageHead>
      <FlashMessage flash={s.flash} />
      <AppTabs appId={app.id} current="emitir" />
      <ErrorSummary errors={e} generales={s.generales} />
      <p class="muted small">
        Modo <ModeBadge mode={currentMode(c)} />: se timbra con el PAC de este modo.
      </p>
      <form method="post" action={`${baseDe(app)}/${tipo.slug}`} class="stack emision" novalidate>
        <Csrf token={c.get('session').csrf} />
        <input type="hidden" name="_idempotencia" value={v._idempotencia} />
        <fieldset class="card stack">
          <legend>Receptor</legend>
          <SelectField name="cliente_id" label="Cliente guardado" options={clientes} value={v.cliente_id} error={e.cliente_id} blank="Ninguno: lo escribo abajo" />
          <p class="muted small">O escribe el receptor (deja «Cliente guardado» en «Ninguno»):</p>
          <Texto name="receptor.rfc" label="RFC" v={v} e={e} maxlength={13} />
          <Texto name="receptor.nombre" label="Nombre o razón social" v={v} e={e} />
          <Texto name="receptor.domicilio_fiscal" label="Domicilio fiscal (código postal)" v={v} e={e} maxlength={5} inputmode="numeric" />
          <Lista name="receptor.regimen_fiscal" label="Régimen fiscal" options={REGIMENES} v={v} e={e} blank="Elige…" />
          <Lista name="receptor.uso_cfdi" label="Uso del CFDI" options={USOS} v={v} e={e} blank={tipo.slug === 'complemento-pago' ? 'CP01 · Pagos' : 'Elige…'} />
        </fieldset>
        {tipo.Campos({ v, e })}
        <div class="formactions">
          <button type="submit" class="btn">
            {tipo.boton}
          </button>
          <a href={baseDe(app)}>Volver</a>
        </div>
      </form>
    </>,
    status,
  );
}

export const emitir = new Hono<AdminEnv>();

emitir.get('/:appId/emitir', async (c) => {
  const app = await loadApp(c);
  return page(
    c,
    { title: `Emitir · ${app.name}`, section: 'aplicaciones' },
    <>
      <PageHead title={app.name} crumbs={[{ href: '/admin/aplicaciones', label: 'Aplicaciones' }]}>
        <AppStatus app={app} />
      </PageHead>
      <AppTabs appId={app.id} current="emitir" />
      <ul class="card stack">
        {TIPOS.map((t) => (
          <li>
            <a href={`${baseDe(app)}/${t.slug}`}>{t.titulo}</a>
          </li>
        ))}
      </ul>
    </>,
  );
});

for (const tipo of TIPOS) {
  const nombres = nombresDe(tipo);

  emitir.get(`/:appId/emitir/${tipo.slug}`, async (c) => {
    const app = await loadApp(c);
    return FormPage(c, app, tipo, { v: { _idempotencia: crypto.randomUUID(), moneda: 'MXN', 'pagos[0].moneda': 'MXN' }, errors: {}, generales: [] });
  });

  emitir.post(`/:appId/emitir/${tipo.slug}`, async (c) => {
    const app = await loadApp(c);
    const v = await formFields(c);
    let aceptada: Aceptada;
    try {
      const r = tipo.schema.safeParse(cuerpoDe({ ...v, ...tipo.fijos }));
      if (!r.success) throw DomainError.validation(zodDetails(r.error));
      // the panel issues; `borrador` (the API's, defaulted by the schema) is not a field of the comprobante
      const { borrador: _, ...solicitud } = r.data as Solicitud & { borrador?: boolean };
      ({ value: aceptada } = await tipo.aceptar(c.var.deps, tenantDe(c, app), solicitud, { idempotencyKey: v._idempotencia || undefined, aplicacion: app }));
    } catch (err) {
      const { status, flash } = rechazoDe(err);
      const { errors, generales } = err instanceof DomainError && err.kind === 'invalid' ? ubicar(err.details, nombres) : { errors: {}, generales: [] };
      if (err instanceof DomainError && err.kind === 'invalid' && !err.details.length) generales.push(err.message);
      // the same key again: a refused attempt stored nothing under it
      return FormPage(c, app, tipo, { v, errors, generales, flash }, status);
    }
    return c.redirect(`/admin/aplicaciones/${app.id}/facturas/${aceptada.id}`, 303);
  });
}
