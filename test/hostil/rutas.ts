import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { parseXml, pemToDer, validateXsd, verificarCfdi, type XmlLeido } from '../../src/cfdi';
import { getDb } from '../../src/db/client';
import { facturas } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { procesarCancelacion } from '../../src/jobs/cancelar-factura';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { facturaPPD, facturaTimbrada } from '../comprobantes';
import { api, createEmisor, createTenant, facturaBase, guardarParaOraculo } from '../helpers';
import { hostUnico } from '../workers/webhooks-helpers';
import { jsonDe, llamar, type Respuesta } from './llamar';
import type { Cuerpo, Json, Muestras } from './corpus';
import { caracterNoXml, problemaContentDisposition, problemasDeError, rastroInterno } from './oraculos';

// The valid base body of every creating route, the state it needs (a tenant with a CSD, stamped invoices to
// relate, a webhook), and what a 2xx must then prove: a comprobante is stamped into well-formed XML that
// verifies, its files download; a created cliente or webhook is removed again so the next body meets the
// same state. A POST the OpenAPI document lists with no entry here fails the suite by name.

export interface Exito {
  status: number;
  body: any;
  /** Sequence number of the body in its route's corpus (names the oracle's files). */
  n: number;
  cuerpo: Cuerpo;
}

const CLASES_DE_HOJA = new Set(['tipo', 'control', 'especial', 'inyeccion', 'longitud', 'numero', 'fecha']);
/**
 * Whether the body says something the base does not (a leaf changed), so its PDF is drawn and its XML goes to
 * CI's oracle too; a body that only travels differently (content type, encoding, padding, headers, an ignored
 * key) makes the base's comprobante, whose XML is still stamped and checked here.
 */
const completo = (r: Exito) => r.n === 0 || CLASES_DE_HOJA.has(r.cuerpo.clase);

export interface Contexto {
  token: string;
  /** The tenants whose rows and files must not change on a 4xx. */
  apps: string[];
  /** Path parameters of the route (the hook may move them on, e.g. to a fresh invoice once one is cancelled). */
  parametros: Record<string, string>;
  base: Json;
  /** After a 2xx: what it left must be right; then the state goes back to what the next body expects. */
  tras2xx(r: Exito): Promise<string[]>;
  /** Why a keyed replay is not asked of this route, if it is not. */
  sinIdempotencia?: string;
  /** The corpus's sample sizes where this route needs other ones. */
  muestras?: Partial<Muestras>;
}

export type Preparar = () => Promise<Contexto>;

const hoyMexico = () => new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);
const pacCertificates = () => [pemToDer(env.SANDBOX_PAC_CERT_PEM)];

/** Writes a stamped XML where CI's oracle reads it; one the project cannot even read goes there alone, to fail it. */
async function alOraculo(nombre: string, xml: string): Promise<string[]> {
  try {
    await guardarParaOraculo(nombre, xml);
    return [];
  } catch (e) {
    await env.TEST_OUTPUT.fetch(`http://output/cfdi/${nombre}.xml`, { method: 'PUT', body: xml });
    return [`cadenaOriginal del XML almacenado falla: ${(e as Error).message.slice(0, 200)}`];
  }
}

async function descarga(token: string, ruta: string, que: string): Promise<{ problemas: string[]; res?: Respuesta }> {
  const res = await llamar('GET', ruta, { token });
  if (res.status !== 200) return { problemas: [`GET ${que} → ${res.status} ${res.texto.slice(0, 200)}`] };
  const cd = problemaContentDisposition(res.headers.get('Content-Disposition'));
  return { problemas: cd ? [`GET ${que}: Content-Disposition ${cd}`] : [], res };
}

/** A comprobante just accepted: stamp it now (the job itself, not the queue's 1 s batch wait), then prove it. */
export async function verificarComprobante(token: string, id: string, nombre: string, opts: { completo: boolean }): Promise<string[]> {
  const p: string[] = [];
  const job = await procesarFactura(depsDe(env), id, 1);
  const detalle = await llamar('GET', `/facturas/${id}`, { token });
  if (detalle.status !== 200) return [`GET /facturas/{id} → ${detalle.status} ${detalle.texto.slice(0, 200)}`];
  const f = jsonDe(detalle);
  if (f.status !== 'timbrada') {
    // The harness's own tidying: a row left pendiente would be retried by the queue in the background and
    // change the counts the next bodies are checked against.
    if (f.status === 'pendiente') await getDb(env).update(facturas).set({ status: 'error' }).where(eq(facturas.id, id));
    return [`aceptado pero quedó ${f.status} (job ${job.action}): ${JSON.stringify(f.errores)?.slice(0, 300)}`];
  }
  const x = await descarga(token, `/facturas/${id}/xml`, 'xml');
  p.push(...x.problemas);
  if (x.res) {
    const xml = x.res.texto;
    const malo = caracterNoXml(xml);
    if (malo) p.push(`XML almacenado no es XML 1.0: ${malo}`);
    let arbol: XmlLeido | undefined;
    try {
      arbol = parseXml(xml);
    } catch (e) {
      p.push(`XML almacenado no se lee: ${(e as Error).message.slice(0, 200)}`);
    }
    if (arbol) {
      const xsd = validateXsd(arbol);
      if (xsd.length) p.push(`XML almacenado no cumple el XSD del SAT: ${JSON.stringify(xsd).slice(0, 300)}`);
      const v = await verificarCfdi(xml, { pacCertificates: pacCertificates() }).catch((e: Error) => ({ valido: false, error: e.message }));
      if (!v.valido) p.push(`XML almacenado no verifica: ${JSON.stringify(v).slice(0, 300)}`);
    }
    if (opts.completo) p.push(...(await alOraculo(nombre, xml)));
  }
  if (!opts.completo) return p;
  const pdf = await descarga(token, `/facturas/${id}/pdf`, 'pdf');
  p.push(...pdf.problemas);
  if (pdf.res) {
    const inicio = new TextDecoder().decode(pdf.res.bytes.slice(0, 5));
    if (inicio !== '%PDF-') p.push(`GET pdf no es un PDF: ${JSON.stringify(inicio)}`);
  }
  return p;
}

/** An acuse downloads, and is XML 1.0 that reads. */
async function acuseLegible(token: string, ruta: string): Promise<string[]> {
  const a = await descarga(token, ruta, 'acuse');
  if (!a.res) return a.problemas;
  const p = [...a.problemas];
  const malo = caracterNoXml(a.res.texto);
  if (malo) p.push(`acuse no es XML 1.0: ${malo}`);
  try {
    parseXml(a.res.texto);
  } catch (e) {
    p.push(`acuse no se lee: ${(e as Error).message.slice(0, 200)}`);
  }
  return p;
}

/** POST a comprobante and stamp it now; its detail. */
async function timbrarYa(token: string, ruta: string, body: unknown) {
  const res = await llamar('POST', ruta, { token, body });
  if (res.status !== 202) throw new Error(`${ruta}: ${res.status} ${res.texto}`);
  const { id } = jsonDe(res);
  await procesarFactura(depsDe(env), id, 1);
  const f = jsonDe(await llamar('GET', `/facturas/${id}`, { token }));
  if (f.status !== 'timbrada') throw new Error(`${ruta} ${id}: ${f.status} ${JSON.stringify(f.errores)}`);
  return f;
}

/** The checks of an answer that is not the corpus's own (a hook's follow-up request). */
function respuestaSecundaria(res: Respuesta, que: string, peticion: string): string[] {
  const texto = res.texto;
  const p: string[] = [];
  if (res.status >= 500) p.push(`${que} → ${res.status} ${texto.slice(0, 300)}`);
  const rastro = rastroInterno(texto, peticion);
  if (rastro) p.push(`${que}: detalle interno en la respuesta: ${rastro}`);
  if (res.status >= 400 && res.status < 500) {
    for (const e of problemasDeError(texto, res.headers.get('X-Request-Id'), res.headers.get('Content-Type'))) p.push(`${que}: ${e}`);
  }
  return p;
}

const RECEPTOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601' };

/** facturaBase with every optional free-text and amount leaf filled, so the corpus reaches them. */
function facturaCompleta(): Json {
  const base = facturaBase({ serie: 'HOSTIL', condiciones_de_pago: 'Contado', exportacion: '01' });
  return {
    ...base,
    conceptos: [
      {
        ...base.conceptos[0]!,
        no_identificacion: 'SKU-001',
        unidad: 'Servicio',
        descuento: '10.00',
        impuestos: {
          traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }],
          retenciones: [{ impuesto: '001', tipo_factor: 'Tasa', tasa_o_cuota: '0.100000' }],
        },
      },
    ],
  } as Json;
}

export const RUTAS: Record<string, Preparar> = {
  'POST /facturas': async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: facturaCompleta(),
      tras2xx: (r) => verificarComprobante(token, r.body.id, `hostil-facturas-${r.n}`, { completo: completo(r) }),
    };
  },

  'POST /notas-credito': async () => {
    const { app, token } = await createEmisor();
    // A large invoice to credit, so every accepted nota (1.16 each) leaves balance for the next one.
    const relacionada = await timbrarYa(token, '/facturas', { ...facturaPPD('1000000.00'), metodo_pago: 'PUE', forma_pago: '03' });
    const base = facturaCompleta() as Record<string, Json>;
    const concepto = (base.conceptos as Record<string, Json>[])[0]!;
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: {
        ...base,
        serie: 'NCH',
        receptor: { ...RECEPTOR, uso_cfdi: 'G02' },
        conceptos: [{ ...concepto, clave_prod_serv: '84111506', clave_unidad: 'ACT', descripcion: 'Bonificación por pronto pago', cantidad: '1', valor_unitario: '1.00', descuento: '0.10' }],
        cfdi_relacionados: [{ tipo_relacion: '01', uuids: [relacionada.uuid] }],
      },
      tras2xx: (r) => verificarComprobante(token, r.body.id, `hostil-notas-credito-${r.n}`, { completo: completo(r) }),
      // Its receptor and conceptos are the shapes POST /facturas already gets at full size.
      muestras: { tipo: 1, control: 2, especial: 1, inyeccion: 1, longitud: 1 },
    };
  },

  'POST /complementos-pago': async () => {
    const { app, token } = await createEmisor();
    const ppd = await timbrarYa(token, '/facturas', facturaPPD('1000000.00'));
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: {
        serie: 'CPH',
        receptor: RECEPTOR,
        pagos: [{ fecha_pago: hoyMexico(), forma_pago: '03', moneda: 'MXN', num_operacion: 'OP-0001', nom_banco_ord_ext: 'BANCO EXTRANJERO', documentos: [{ uuid: ppd.uuid, imp_pagado: '1.00' }] }],
      },
      tras2xx: (r) => verificarComprobante(token, r.body.id, `hostil-complementos-pago-${r.n}`, { completo: completo(r) }),
    };
  },

  'POST /clientes': async () => {
    const { app, token } = await createEmisor();
    const { receptor: _, ...sinReceptor } = facturaBase();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03', email: 'facturas@ejemplo.mx' },
      // The stored cliente is what a factura by cliente_id carries into its XML: it is invoiced, then deleted (its RFC freed).
      async tras2xx(r) {
        const id = r.body?.id as string;
        const cuerpo = JSON.stringify({ ...sinReceptor, cliente_id: id });
        const res = await llamar('POST', '/facturas', { token, body: cuerpo });
        const p =
          res.status === 202
            ? await verificarComprobante(token, jsonDe(res).id, `hostil-clientes-${r.n}`, { completo: completo(r) })
            : respuestaSecundaria(res, 'POST /facturas con el cliente', cuerpo);
        p.push(...respuestaSecundaria(await llamar('DELETE', `/clientes/${id}`, { token }), 'DELETE /clientes/{id}', ''));
        return p.map((m) => `factura con cliente_id: ${m}`);
      },
    };
  },

  'POST /webhooks': async () => {
    const { app, token } = await createTenant();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { url: `https://${hostUnico()}/hexafac`, events: ['factura.timbrada', 'factura.cancelada'], description: 'ERP principal' },
      async tras2xx(r) {
        return respuestaSecundaria(await llamar('DELETE', `/webhooks/${r.body?.id}`, { token }), 'DELETE /webhooks/{id}', '');
      },
    };
  },

  'POST /facturas/{id}/cancelar': async () => {
    const { app, token } = await createEmisor();
    // Up to 1,000 pesos the sandbox cancels without the receptor's acceptance: an accepted request ends at once.
    const barata = () => facturaBase({ conceptos: [{ ...facturaBase().conceptos[0]!, cantidad: '1', valor_unitario: '100.00' }] });
    const ctx: Contexto = {
      token,
      apps: [app.id],
      parametros: { id: (await timbrarYa(token, '/facturas', barata())).id },
      base: { motivo: '02' },
      async tras2xx(r) {
        const id = ctx.parametros.id!;
        const p: string[] = [];
        await procesarCancelacion(depsDe(env), id, 1);
        const f = jsonDe(await llamar('GET', `/facturas/${id}`, { token }));
        if (!['cancelada', 'cancelacion_rechazada', 'cancelacion_pendiente'].includes(f.status)) p.push(`cancelación aceptada pero quedó ${f.status}`);
        if (f.status === 'cancelada') p.push(...(await acuseLegible(token, `/facturas/${id}/acuse`)));
        if (r.body?.id && r.body.id !== id) p.push(`la respuesta nombra ${r.body.id}, no ${id}`);
        ctx.parametros.id = (await timbrarYa(token, '/facturas', barata())).id;
        return p;
      },
    };
    return ctx;
  },

  // A dry run answers 200 for any body it can read, valido or not: what must hold is that it created nothing.
  'POST /facturas/validar': async () => validarSinEfecto('/facturas', async () => facturaCompleta()),
  'POST /notas-credito/validar': async () =>
    validarSinEfecto('/notas-credito', async (token) => {
      const relacionada = await timbrarYa(token, '/facturas', { ...facturaPPD('1000000.00'), metodo_pago: 'PUE', forma_pago: '03' });
      return { ...(facturaCompleta() as Record<string, Json>), serie: 'NCH', receptor: { ...RECEPTOR, uso_cfdi: 'G02' }, cfdi_relacionados: [{ tipo_relacion: '01', uuids: [relacionada.uuid] }] };
    }),
  'POST /complementos-pago/validar': async () =>
    validarSinEfecto('/complementos-pago', async (token) => {
      const ppd = await timbrarYa(token, '/facturas', facturaPPD('1000000.00'));
      return {
        serie: 'CPH',
        receptor: RECEPTOR,
        pagos: [{ fecha_pago: hoyMexico(), forma_pago: '03', moneda: 'MXN', documentos: [{ uuid: ppd.uuid, imp_pagado: '1.00' }] }],
      };
    }),

  // The corrected factura replaces the one in the path; once one is accepted, the next body replaces a fresh original.
  'POST /facturas/{id}/sustituir': async () => {
    const { app, token } = await createEmisor();
    const ctx: Contexto = {
      token,
      apps: [app.id],
      parametros: { id: (await timbrarYa(token, '/facturas', facturaBase())).id },
      base: facturaCompleta(),
      async tras2xx(r) {
        const p = await verificarComprobante(token, r.body.id, `hostil-sustituir-${r.n}`, { completo: completo(r) });
        const f = jsonDe(await llamar('GET', `/facturas/${r.body.id}`, { token }));
        if (f.sustituye_a !== ctx.parametros.id) p.push(`la sustituta no apunta a ${ctx.parametros.id}: ${f.sustituye_a}`);
        ctx.parametros.id = (await timbrarYa(token, '/facturas', facturaBase())).id;
        return p;
      },
    };
    return ctx;
  },

  'POST /sandbox/cancelaciones-recibidas': async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { n: 1 },
      async tras2xx(r) {
        const { estado, rfc_receptor } = r.body ?? {};
        return estado === 'pendiente' && rfc_receptor === app.rfc ? [] : [`la solicitud de prueba quedó ${estado} para ${rfc_receptor}`];
      },
      sinIdempotencia: 'el mismo n es la misma solicitud: repetirla no crea otra',
    };
  },

  // The receptor's answers take no body: whatever is sent is ignored or refused; each one accepted answers the
  // request in the path, so the next body gets a new one.
  'POST /cancelaciones-recibidas/{uuid}/aceptar': async () => respuestaRecibida('aceptar'),
  'POST /cancelaciones-recibidas/{uuid}/rechazar': async () => respuestaRecibida('rechazar'),

  // Actions on a webhook that take no body: whatever is sent is ignored or refused, never a 5xx.
  'POST /cfdi/verificar': async () => {
    const { app, token } = await createEmisor();
    const f = await facturaTimbrada(token);
    const xml = await (await api('GET', `/facturas/${f.id}/xml`, { token })).text();
    const filas = async () => (await getDb(env).select({ id: facturas.id }).from(facturas).where(eq(facturas.client_application_id, app.id)).all()).length;
    const antes = await filas();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { xml },
      async tras2xx(r) {
        const b = r.body;
        const p: string[] = [];
        if (typeof b?.valido !== 'boolean' || typeof b?.sello?.valido !== 'boolean' || !Array.isArray(b?.estructura?.errores) || !Array.isArray(b?.reglas?.errores) || !b?.cfdi) {
          p.push(`/cfdi/verificar no respondió la verificación: ${JSON.stringify(b).slice(0, 200)}`);
        }
        if ((await filas()) !== antes) p.push('/cfdi/verificar guardó un comprobante');
        return p;
      },
      sinIdempotencia: 'no crea nada: verificar el mismo XML responde lo mismo',
    };
  },
  'POST /webhooks/{id}/rotar-secreto': async () => webhookConAccion('rotar-secreto'),
  'POST /webhooks/{id}/prueba': async () => webhookConAccion('prueba'),
  'POST /webhooks/{id}/entregas/{entrega}/reenviar': async () => webhookConAccion('reenviar'),
};

async function validarSinEfecto(ruta: string, base: (token: string) => Promise<Json>): Promise<Contexto> {
  const { app, token } = await createEmisor();
  const filas = async () => (await getDb(env).select({ id: facturas.id }).from(facturas).where(eq(facturas.client_application_id, app.id)).all()).length;
  const ctx: Contexto = {
    token,
    apps: [app.id],
    parametros: {},
    base: await base(token),
    async tras2xx(r) {
      const p: string[] = [];
      if (typeof r.body?.valido !== 'boolean' || !Array.isArray(r.body?.errores)) p.push(`${ruta}/validar no respondió {valido, errores}: ${JSON.stringify(r.body).slice(0, 200)}`);
      if (r.body?.valido === false && !r.body.errores.every((e: { code?: string }) => e.code)) p.push('un error de validar sin código');
      if ((await filas()) !== antes) p.push(`${ruta}/validar guardó un comprobante`);
      return p;
    },
    sinIdempotencia: 'no crea nada: repetirlo responde lo mismo',
  };
  // the invoices the base relates are the tenant's own rows: validar must add none
  const antes = await filas();
  return ctx;
}

async function webhookConAccion(accion: string): Promise<Contexto> {
  const { app, token } = await createTenant();
  const res = await llamar('POST', '/webhooks', { token, body: { url: `https://${hostUnico()}/hook`, events: ['*'] } });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${res.texto}`);
  const webhook = jsonDe(res);
  const parametros: Record<string, string> = { id: webhook.id };
  if (accion === 'reenviar') {
    // A finished delivery to resend: the webhook's test event, once its receiver answered.
    const prueba = jsonDe(await llamar('POST', `/webhooks/${webhook.id}/prueba`, { token }));
    const { esperar } = await import('../workers/webhooks-helpers');
    const entregas = async () => jsonDe(await llamar('GET', `/webhooks/${webhook.id}/entregas?limit=100`, { token })).data as { id: string; status: string }[];
    await esperar(entregas, (l) => l.some((e) => e.id === prueba.id && e.status !== 'pendiente'));
    parametros.entrega = prueba.id;
  }
  return {
    token,
    apps: [app.id],
    parametros,
    base: {},
    tras2xx: async () => [],
    sinIdempotencia: 'acción sobre un webhook existente, sin cuerpo',
    // The body is never read: a few of the whole-body classes are enough.
    muestras: { crudos: 6, content_type: 5 },
  };
}

async function respuestaRecibida(accion: 'aceptar' | 'rechazar'): Promise<Contexto> {
  const { app, token } = await createEmisor();
  let n = 0;
  const pendiente = async () => {
    const res = await llamar('POST', '/sandbox/cancelaciones-recibidas', { token, body: { n: ++n } });
    if (res.status !== 201) throw new Error(`solicitud de prueba: ${res.status} ${res.texto}`);
    return jsonDe(res).uuid as string;
  };
  const estado = accion === 'aceptar' ? 'aceptada' : 'rechazada';
  const ctx: Contexto = {
    token,
    apps: [app.id],
    parametros: { uuid: await pendiente() },
    base: {},
    async tras2xx(r) {
      const uuid = ctx.parametros.uuid!;
      const p = r.body?.uuid === uuid && r.body?.estado === estado ? [] : [`la respuesta dice ${r.body?.uuid} ${r.body?.estado}, no ${uuid} ${estado}`];
      p.push(...(await acuseLegible(token, `/cancelaciones-recibidas/${uuid}/acuse`)));
      ctx.parametros.uuid = await pendiente();
      return p;
    },
    // The body is never read: a few of the whole-body classes are enough.
    muestras: { crudos: 6, content_type: 5 },
  };
  return ctx;
}
