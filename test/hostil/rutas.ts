import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { parseXml, pemToDer, validateXsd, verificarCfdi, type XmlLeido } from '../../src/cfdi';
import { getDb } from '../../src/db/client';
import { envios, folios, facturas, recibos } from '../../src/db/schema';
import { depsDe } from '../../src/deps';
import { procesarCancelacion } from '../../src/jobs/cancelar-factura';
import { procesarFactura } from '../../src/jobs/procesar-factura';
import { procesarEnvio } from '../../src/jobs/enviar-correo';
import { facturaPPD, facturaTimbrada } from '../comprobantes';
import { procesarExportacion } from '../../src/jobs/exportar';
import { reactivarAplicacionDePlataforma, suspenderAplicacionDePlataforma } from '../../src/services/plataformas';
import { toBase64 } from '../../src/cfdi';
import { logo } from '../fixtures/marca/logos';
import { api, createEmisor, createKey, createTenant, facturaBase, guardarParaOraculo } from '../helpers';
import { hostUnico, plataformaConKey } from '../workers/webhooks-helpers';
import { jsonDe, llamar, type Respuesta } from './llamar';
import { insertarRecibo, linea } from '../recibos-prueba';
import { EJEMPLO_TRASLADO } from '../../src/routes/comprobantes.carta-porte';
import { EJEMPLO_NOMINA, EJEMPLO_RECIBO_NOMINA } from '../../src/routes/ejemplos';
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

const pideBorrador = (r: Exito) => {
  try {
    return JSON.parse(new TextDecoder().decode(r.cuerpo.bytes))?.borrador === true;
  } catch {
    return false;
  }
};

/** A body the corpus gave `borrador: true` asked for a draft (201): it must be one, and is not stamped. */
async function comprobanteAceptado(token: string, r: Exito, nombre: string): Promise<string[]> {
  if (!pideBorrador(r)) return verificarComprobante(token, r.body.id, nombre, { completo: completo(r) });
  const f = jsonDe(await llamar('GET', `/facturas/${r.body.id}`, { token }));
  return r.status === 201 && f.status === 'borrador' ? [] : [`pidió borrador: ${r.status} y quedó ${f.status}`];
}

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
  /**
   * A key for each body in place of `token`, for a route whose rate limit (the costosas class: 5 a minute per key)
   * would otherwise answer 429 to most of the corpus instead of reading it.
   */
  tokenPorCuerpo?: () => Promise<string>;
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
  // Its automatic envío (a cliente or recibo with an email) is delivered here too: the queue would otherwise
  // cache the PDF in R2 while the next bodies' counts are being compared.
  const pendientes = await getDb(env).select({ id: envios.id }).from(envios).where(and(eq(envios.factura_id, id), eq(envios.status, 'pendiente')));
  for (const e of pendientes) await procesarEnvio(depsDe(env), e.id, 1);
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

/** One value of each class per leaf, and a few of the whole-body ones: for a body whose shapes another route gets at full size. */
const MUESTRAS_POR_HOJA: Partial<Muestras> = { tipo: 1, control: 1, especial: 1, inyeccion: 1, longitud: 1, numero: 1, fecha: 1, contenedor: 1, claves_duplicadas: 2, faltantes: 2, crudos: 6, content_type: 4 };
/** No sampled value per leaf (only the bounds every leaf gets): for a body another route of this suite samples leaf by leaf. */
const SIN_MUESTRAS_DE_HOJA: Partial<Muestras> = { ...MUESTRAS_POR_HOJA, tipo: 0, control: 0, especial: 0, inyeccion: 0, longitud: 0, numero: 0, fecha: 0, ausentes: 0 };

/**
 * POST /{kind}/{id}/enviar on a stamped comprobante of the kind: an accepted envío is delivered here (the queue's copy
 * then finds it sent), through the real send_email binding, to exactly the addresses the body named.
 */
function envioPorCorreo(kind: string, comprobante: (token: string) => Promise<{ id: string }>, muestras?: Partial<Muestras>): Preparar {
  return async () => {
    const { app, token } = await createEmisor();
    const { id } = await comprobante(token);
    return {
      token,
      apps: [app.id],
      parametros: { id },
      base: { to: ['contabilidad@cliente.mx'], cc: ['compras@cliente.mx'] },
      tokenPorCuerpo: () => createKey(app.id),
      async tras2xx(r) {
        await procesarEnvio(depsDe(env), r.body?.id, 1);
        const e = jsonDe(await llamar('GET', `/${kind}/${id}/envios`, { token })).data?.find((x: { id: string }) => x.id === r.body?.id);
        const igual = e?.status === 'enviado' && JSON.stringify([e.to, e.cc]) === JSON.stringify([r.body.to, r.body.cc]);
        return igual ? [] : [`envío aceptado (${JSON.stringify(r.body).slice(0, 200)}) pero quedó ${JSON.stringify(e)?.slice(0, 300)}`];
      },
      ...(muestras ? { muestras } : {}),
    };
  };
}

/** POST /{kind} of a tenant with a CSD: each accepted comprobante is stamped and proven. */
function emision(kind: string, base: () => Json, muestras?: Partial<Muestras>): Preparar {
  return async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: base(),
      tras2xx: (r) => comprobanteAceptado(token, r, `hostil-${kind}-${r.n}`),
      ...(muestras ? { muestras } : {}),
    };
  };
}

/**
 * POST /{kind}/{id}/cancelar of a kind the SAT cancels without the receptor's acceptance (a recibo de nómina, a
 * traslado): an accepted request ends cancelada at once; the next body gets a fresh stamped one.
 */
function cancelacionSinAceptacion(ruta: string, cuerpo: Json): Preparar {
  return async () => {
    const { app, token } = await createEmisor();
    const ctx: Contexto = {
      token,
      apps: [app.id],
      parametros: { id: (await timbrarYa(token, ruta, cuerpo)).id },
      base: { motivo: '02' },
      async tras2xx(r) {
        const id = ctx.parametros.id!;
        await procesarCancelacion(depsDe(env), id, 1);
        const f = jsonDe(await llamar('GET', `${ruta}/${id}`, { token }));
        const p = f.status === 'cancelada' ? [] : [`cancelación aceptada pero quedó ${f.status}`];
        ctx.parametros.id = (await timbrarYa(token, ruta, cuerpo)).id;
        return p;
      },
    };
    return ctx;
  };
}

/**
 * A batch accepted (POST /lotes, POST /nominas): every accepted item is a comprobante stamped here; every refused one
 * carries its route's error; GET reads the same results, completed once nothing is pendiente; its rows are exactly
 * its accepted items.
 */
async function loteAceptado(token: string, r: Exito, coleccion: 'lotes' | 'nominas', campo: 'items' | 'recibos'): Promise<string[]> {
  const p: string[] = [];
  const items = (r.body?.[campo] ?? []) as { indice: number; status: string; id?: string; error?: { code: string } }[];
  if (!items.length) p.push(`${coleccion}: aceptado sin ${campo}`);
  for (const [i, it] of items.entries()) {
    const que = `${campo}[${i}]`;
    if (it.status === 'aceptado') p.push(...(await verificarComprobante(token, it.id!, `hostil-${coleccion}-${r.n}-${i}`, { completo: completo(r) })).map((m) => `${que}: ${m}`));
    else if (!/^[a-z][a-z0-9_]*$/.test(it.error?.code ?? '')) p.push(`${que} rechazado sin código: ${JSON.stringify(it).slice(0, 200)}`);
  }
  const aceptados = items.filter((it) => it.status === 'aceptado').map((it) => it.id);
  const leido = await llamar('GET', `/${coleccion}/${r.body?.id}`, { token });
  if (leido.status !== 200) p.push(`GET /${coleccion}/{id} → ${leido.status} ${leido.texto.slice(0, 200)}`);
  else {
    const l = jsonDe(leido);
    const resultados = (x: typeof items) => JSON.stringify(x?.map((it) => [it.indice, it.status, it.id ?? it.error?.code]));
    if (resultados(l[campo]) !== resultados(items)) p.push(`GET /${coleccion}/{id} no da los resultados respondidos: ${leido.texto.slice(0, 200)}`);
    if (l.aceptados !== aceptados.length || l.rechazados !== items.length - aceptados.length) p.push(`GET /${coleccion}/{id} cuenta ${l.aceptados} aceptados y ${l.rechazados} rechazados`);
    if (JSON.stringify(l.periodo) !== JSON.stringify(r.body.periodo)) p.push(`GET /${coleccion}/{id}: periodo ${JSON.stringify(l.periodo)}, respondido ${JSON.stringify(r.body.periodo)}`);
    if (!p.length && !l.completado_at) p.push(`GET /${coleccion}/{id}: todos timbrados y sin completado_at`);
  }
  // A refused item stored nothing: the batch's rows are exactly its accepted items.
  const filas = await getDb(env).select({ id: facturas.id }).from(facturas).where(eq(facturas.lote_id, r.body?.id)).all();
  if (filas.map((f) => f.id).sort().join() !== aceptados.sort().join()) p.push(`${coleccion}: guardó ${filas.length} comprobantes, aceptó ${aceptados.length}`);
  return p;
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

/** A documented example as it travels (a key its type makes optional is left out: JSON has no undefined). */
const comoViaja = (ejemplo: object): Json => JSON.parse(JSON.stringify(ejemplo));
const TRASLADO = comoViaja(EJEMPLO_TRASLADO);

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
  'POST /facturas': emision('facturas', facturaCompleta),

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
      tras2xx: (r) => comprobanteAceptado(token, r, `hostil-notas-credito-${r.n}`),
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
      tras2xx: (r) => comprobanteAceptado(token, r, `hostil-complementos-pago-${r.n}`),
    };
  },

  'POST /recibos-nomina': emision('recibos-nomina', () => EJEMPLO_RECIBO_NOMINA),
  // Its receptor and conceptos are POST /facturas's at full size; the Carta Porte's many leaves are only here, and each
  // accepted body costs a stamping: the bounds, a wrong type, a control and a special character per leaf (the
  // injections would meet the same XML writer), one value per key the example leaves out.
  'POST /traslados': emision('traslados', () => TRASLADO, { ...MUESTRAS_POR_HOJA, inyeccion: 0, longitud: 0, numero: 0, ausentes: 1 }),

  // A payroll is the batch engine (POST /lotes) over POST /recibos-nomina's recibos, whose leaves that route gets at
  // full size: here its one salaried recibo (which takes the payroll's registro patronal), fewer values per leaf,
  // and the whole-body classes the batch's own reading meets. Each accepted recibo costs a stamping.
  'POST /nominas': async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      tokenPorCuerpo: () => createKey(app.id),
      base: comoViaja({ ...EJEMPLO_NOMINA, recibos: EJEMPLO_NOMINA.recibos.slice(0, 1) }),
      tras2xx: (r) => loteAceptado(token, r, 'nominas', 'recibos'),
      muestras: { ...MUESTRAS_POR_HOJA, control: 0, especial: 0, longitud: 0 },
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

  'POST /facturas/{id}/enviar': envioPorCorreo('facturas', (token) => timbrarYa(token, '/facturas', facturaBase())),
  // The same factory's route on the other kinds (src/routes/envios): a smaller sample of the same body.
  'POST /notas-credito/{id}/enviar': envioPorCorreo('notas-credito', async (token) => {
    const relacionada = await timbrarYa(token, '/facturas', facturaBase());
    const base = facturaBase();
    return timbrarYa(token, '/notas-credito', {
      ...base,
      receptor: { ...base.receptor, uso_cfdi: 'G02' },
      conceptos: [{ ...base.conceptos[0]!, clave_prod_serv: '84111506', clave_unidad: 'ACT', descripcion: 'Bonificación', cantidad: '1', valor_unitario: '1.00' }],
      cfdi_relacionados: [{ tipo_relacion: '01', uuids: [relacionada.uuid] }],
    });
  }, MUESTRAS_POR_HOJA),
  'POST /complementos-pago/{id}/enviar': envioPorCorreo('complementos-pago', async (token) => {
    const ppd = await timbrarYa(token, '/facturas', facturaPPD());
    return timbrarYa(token, '/complementos-pago', {
      receptor: RECEPTOR,
      pagos: [{ fecha_pago: hoyMexico(), forma_pago: '03', moneda: 'MXN', documentos: [{ uuid: ppd.uuid, imp_pagado: '1.00' }] }],
    });
  }, MUESTRAS_POR_HOJA),

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

  'POST /recibos-nomina/validar': async () => validarSinEfecto('/recibos-nomina', async () => EJEMPLO_RECIBO_NOMINA),
  // The same reading as POST /traslados, whose corpus samples every leaf: here only the bounds each leaf always gets.
  'POST /traslados/validar': async () => validarSinEfecto('/traslados', async () => TRASLADO, SIN_MUESTRAS_DE_HOJA),
  'POST /recibos-nomina/{id}/cancelar': cancelacionSinAceptacion('/recibos-nomina', EJEMPLO_RECIBO_NOMINA),
  'POST /traslados/{id}/cancelar': cancelacionSinAceptacion('/traslados', TRASLADO),

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
        // The stamped substitute goes on with the original's cancellation: run here, not by the queue while the next bodies are checked.
        await procesarCancelacion(depsDe(env), ctx.parametros.id!, 1);
        const original = jsonDe(await llamar('GET', `/facturas/${ctx.parametros.id}`, { token }));
        if (!['cancelada', 'cancelacion_pendiente'].includes(original.status)) p.push(`la original sustituida quedó ${original.status}`);
        ctx.parametros.id = (await timbrarYa(token, '/facturas', facturaBase())).id;
        return p;
      },
      // Its body is POST /facturas's, which gets the leaf mutations at full size; each accepted one here costs a
      // stamping, a cancellation and a fresh original.
      muestras: { tipo: 1, control: 2, especial: 1, inyeccion: 1, longitud: 1, numero: 1, fecha: 1 },
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

  'POST /plataforma/webhooks': async () => {
    const { platformId, token } = await plataformaConKey();
    return {
      token,
      apps: [platformId],
      parametros: {},
      base: { url: `https://${hostUnico()}/hexafac`, events: ['aplicacion.csd_por_vencer', 'aplicacion.csd_vencido'], description: 'Panel de la plataforma' },
      // The endpoint is the platform's, with what the answer said; deleting it is what proves it existed.
      async tras2xx(r) {
        const id = r.body?.id as string;
        const leido = await llamar('GET', `/plataforma/webhooks/${id}`, { token });
        const p = respuestaSecundaria(leido, 'GET /plataforma/webhooks/{id}', '');
        if (leido.status !== 200) p.push(`GET /plataforma/webhooks/{id} → ${leido.status}`);
        else if (jsonDe(leido).url !== r.body.url || JSON.stringify(jsonDe(leido).events) !== JSON.stringify(r.body.events)) p.push(`el webhook guardado no es el respondido: ${leido.texto.slice(0, 200)}`);
        const borrado = await llamar('DELETE', `/plataforma/webhooks/${id}`, { token });
        if (borrado.status !== 204) p.push(`DELETE /plataforma/webhooks/{id} → ${borrado.status}`);
        return p;
      },
    };
  },
  'POST /plataforma/webhooks/{id}/rotar-secreto': async () => webhookConAccion('rotar-secreto', '/plataforma/webhooks'),
  'POST /plataforma/webhooks/{id}/prueba': async () => webhookConAccion('prueba', '/plataforma/webhooks'),
  'POST /plataforma/webhooks/{id}/entregas/{entrega}/reenviar': async () => webhookConAccion('reenviar', '/plataforma/webhooks'),

  'POST /plataforma/aplicaciones': async () => {
    const { platformId, token } = await plataformaConKey();
    return {
      token,
      apps: [platformId],
      parametros: {},
      base: { ...EMISOR, description: 'Tienda 14 del ERP', series: { I: 'PAC', E: 'PNC', P: 'PCP' } },
      // It is the platform's, with the issuer sent; suspended afterwards, so what the next body creates is alone active.
      async tras2xx(r) {
        const id = r.body?.id as string;
        const p: string[] = [];
        const enviado = jsonEnviado(r.cuerpo);
        const leido = await llamar('GET', `/plataforma/aplicaciones/${id}`, { token });
        if (leido.status !== 200) return [`GET /plataforma/aplicaciones/{id} → ${leido.status} ${leido.texto.slice(0, 200)}`];
        const a = jsonDe(leido);
        if (a.platform_id !== platformId) p.push(`la aplicación es de ${a.platform_id}, no de ${platformId}`);
        for (const k of ['rfc', 'regimen_fiscal', 'lugar_expedicion'] as const) {
          if (a[k] !== r.body[k]) p.push(`${k} guardado ${a[k]}, respondido ${r.body[k]}`);
          if (enviado && typeof enviado[k] === 'string' && a[k] !== enviado[k].trim().toUpperCase()) p.push(`${k} guardado ${a[k]}, enviado ${enviado[k]}`);
        }
        if (a.status !== 'active' || a.csd !== null) p.push(`recién creada pero ${a.status}, csd ${JSON.stringify(a.csd)}`);
        const s = await llamar('POST', `/plataforma/aplicaciones/${id}/suspender`, { token });
        if (s.status !== 200) p.push(`POST …/suspender → ${s.status}`);
        return p;
      },
    };
  },
  'POST /plataforma/aplicaciones/{id}/suspender': async () => aplicacionConAccion('suspender'),
  'POST /plataforma/aplicaciones/{id}/reactivar': async () => aplicacionConAccion('reactivar'),

  // The JSON variant (base64 files) is what is fuzzed; a multipart Content-Type on a JSON body is a 400/415.
  'PUT /plataforma/aplicaciones/{id}/csd': async () => {
    const { platformId, token, app } = await aplicacionDePrueba();
    return {
      token,
      apps: [platformId, app.id],
      parametros: { id: app.id },
      base: { cer_base64: env.TEST_CSD_CER, key_base64: env.TEST_CSD_KEY, password: '12345678a' },
      // The application now signs with that certificate: its view names it and the stored row too.
      async tras2xx(r) {
        const a = jsonDe(await llamar('GET', `/plataforma/aplicaciones/${app.id}`, { token }));
        const p: string[] = [];
        if (r.body?.no_certificado !== NO_CERTIFICADO_PRUEBA || a.csd?.no_certificado !== NO_CERTIFICADO_PRUEBA || a.csd?.rfc !== app.rfc || a.csd?.vigente !== true)
          p.push(`CSD aceptado pero la aplicación muestra ${JSON.stringify(a.csd)} (respuesta ${JSON.stringify(r.body)})`);
        if (JSON.stringify(r.body).includes('12345678a')) p.push('la respuesta trae la contraseña');
        return p;
      },
      sinIdempotencia: 'PUT: subir el mismo CSD otra vez lo deja igual',
    };
  },

  'POST /plataforma/aplicaciones/{id}/api-keys': async () => {
    const { platformId, token, app } = await aplicacionDePrueba();
    return {
      token,
      apps: [platformId, app.id],
      parametros: { id: app.id },
      base: { name: 'Punto de venta', mode: 'test', scopes: ['facturas:read', 'facturas:write'], expires: '2099-12-31' },
      // The token authenticates as the application (200, or 403 for a scope it lacks), is listed, and once revoked is a 401.
      async tras2xx(r) {
        const p: string[] = [];
        const k = r.body ?? {};
        if (typeof k.token !== 'string' || !k.token.startsWith(`hfx_${k.mode}_`)) return [`token ${JSON.stringify(k.token)} para el modo ${k.mode}`];
        const uso = await llamar('GET', '/facturas', { token: k.token });
        if (uso.status !== 200 && uso.status !== 403) p.push(`la key nueva en GET /facturas → ${uso.status} ${uso.texto.slice(0, 200)}`);
        const lista = jsonDe(await llamar('GET', `/plataforma/aplicaciones/${app.id}/api-keys`, { token }));
        if (!lista.data?.some((x: { id: string }) => x.id === k.id)) p.push('la key creada no está en la lista de la aplicación');
        const revocada = await llamar('DELETE', `/plataforma/aplicaciones/${app.id}/api-keys/${k.id}`, { token });
        if (revocada.status !== 204) p.push(`DELETE …/api-keys/{key_id} → ${revocada.status}`);
        if ((await llamar('GET', '/facturas', { token: k.token })).status !== 401) p.push('la key revocada sigue funcionando');
        return p;
      },
    };
  },

  // The counter only moves forward: once one body has moved a serie, the next body gets a serie of its own.
  'PUT /plataforma/aplicaciones/{id}/folios/{serie}': async () => {
    const { platformId, token, app } = await aplicacionDePrueba();
    let series = 0;
    const ctx: Contexto = {
      token,
      apps: [platformId, app.id],
      parametros: { id: app.id, serie: 'HOSTIL0' },
      base: { siguiente: 1001, mode: 'test' },
      async tras2xx(r) {
        // A hostile serie in the path is a serie too (any text without | is one): the counter moved is that one.
        const enRuta = r.cuerpo.parametros?.serie;
        const serie = enRuta === undefined ? ctx.parametros.serie! : decodificado(enRuta);
        const p: string[] = [];
        const filas = await getDb(env).select().from(folios).where(eq(folios.client_application_id, app.id)).all();
        const deLaSerie = filas.filter((f) => f.serie === serie);
        if (r.body?.serie !== serie) p.push(`la respuesta nombra la serie ${r.body?.serie}, no ${serie}`);
        for (const [mode, siguiente] of Object.entries((r.body?.siguiente ?? {}) as Record<string, number>)) {
          const f = deLaSerie.find((x) => x.mode === mode);
          if (f?.ultimo !== siguiente - 1) p.push(`${mode}: siguiente ${siguiente} respondido, el contador quedó en ${f?.ultimo}`);
        }
        if (!deLaSerie.length) p.push(`ningún contador para la serie ${serie}`);
        if (enRuta === undefined) ctx.parametros.serie = `HOSTIL${++series}`;
        return p;
      },
      sinIdempotencia: 'PUT: fijar el mismo siguiente otra vez lo deja igual',
    };
    return ctx;
  },

  'PUT /plataforma/aplicaciones/{id}/marca/logo': async () => {
    const { platformId, token, app } = await aplicacionDePrueba();
    const png = logo('logo.png');
    let versionAnterior: string | null = null;
    return {
      token,
      apps: [platformId, app.id],
      parametros: { id: app.id },
      base: { logo_base64: toBase64(png), tipo: 'image/png' },
      // The application's branding now has that logo, its version changed, and its bytes are the ones sent.
      async tras2xx(r) {
        const m = jsonDe(await llamar('GET', `/plataforma/aplicaciones/${app.id}/marca`, { token }));
        const p: string[] = [];
        if (JSON.stringify(m.logo) !== JSON.stringify(r.body?.logo) || m.logo?.bytes !== png.length || m.logo?.tipo !== 'image/png') p.push(`logo aceptado pero la marca muestra ${JSON.stringify(m.logo)}`);
        if (!m.version || m.version === versionAnterior) p.push(`la versión de la marca no cambió (${m.version})`);
        versionAnterior = m.version;
        return p;
      },
      sinIdempotencia: 'PUT: subir el mismo logo otra vez lo deja igual',
    };
  },

  // Each body with a key of its own: the costosas class allows 5 a minute per key.
  'POST /lotes': async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      tokenPorCuerpo: () => createKey(app.id),
      base: { items: [{ tipo: 'factura', datos: facturaBase({ serie: 'LOTE' }) as Json }] },
      tras2xx: (r) => loteAceptado(token, r, 'lotes', 'items'),
      // Its items' datos are the shapes POST /facturas already gets at full size.
      muestras: { tipo: 1, control: 2, especial: 1, inyeccion: 1, longitud: 1, numero: 2 },
    };
  },

  'POST /exportaciones': async () => {
    const { app, token } = await createEmisor();
    await timbrarYa(token, '/facturas', facturaBase());
    const hasta = hoyMexico();
    return {
      token,
      apps: [app.id],
      parametros: {},
      tokenPorCuerpo: () => createKey(app.id),
      base: { formato: 'csv', desde: `${hasta.slice(0, 8)}01`, hasta, tipo: 'I', status: 'timbrada' },
      // The export row is the tenant's: its job runs here to the end (the queue's copy then finds it done) and the file exists.
      async tras2xx(r) {
        const id = r.body?.id as string;
        for (let i = 0; i < 20 && jsonDe(await llamar('GET', `/exportaciones/${id}`, { token })).status !== 'lista'; i++) await procesarExportacion(depsDe(env), id, 1);
        const e = await llamar('GET', `/exportaciones/${id}`, { token });
        if (e.status !== 200) return [`GET /exportaciones/{id} → ${e.status} ${e.texto.slice(0, 200)}`];
        const x = jsonDe(e);
        const p: string[] = [];
        if (x.status !== 'lista' || x.formato !== r.body.formato || !x.bytes) p.push(`exportación aceptada pero quedó ${x.status} (${x.formato}, ${x.bytes} bytes): ${x.error}`);
        // The base's filters match the tenant's one stamped factura.
        if (r.n === 0 && x.comprobantes !== 1) p.push(`la exportación de la base tiene ${x.comprobantes} comprobantes, no 1`);
        return p;
      },
    };
  },

  'POST /recibos/factura-global': async () => {
    const { app, token } = await createEmisor();
    await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' });
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { periodicidad: '04', meses: '11', año: 2026 },
      // The accepted global holds the tenant's one recibo of the period, now facturado_global; it is stamped here (the
      // queue's copy then finds it done) so its events and XML are not taken for a later body's change.
      async tras2xx(r) {
        const f = r.body?.facturas?.[0];
        if (f?.id) await procesarFactura(depsDe(env), f.id, 1);
        const filas = await getDb(env).select().from(recibos).where(eq(recibos.client_application_id, app.id)).all();
        return filas.every((x) => x.status === 'facturado_global' && x.factura_global_id === f?.id) ? [] : [`los recibos quedaron ${filas.map((x) => x.status).join()}`];
      },
    };
  },

  'POST /recibos': async () => {
    const { app, token } = await createEmisor();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { forma_pago: '01', conceptos: [linea('45.00')] } as Json,
      // The stored recibo reads back as answered, and is cancelled so a body that repeats it (its folio) meets the same state.
      async tras2xx(r) {
        const leido = await llamar('GET', `/recibos/${r.body?.id}`, { token });
        const p = respuestaSecundaria(leido, 'GET /recibos/{id}', '');
        if (leido.status === 200 && (jsonDe(leido).total !== r.body.total || jsonDe(leido).clave_autofactura !== r.body.clave_autofactura)) {
          p.push(`GET /recibos/{id} no es lo respondido: ${leido.texto.slice(0, 200)}`);
        }
        return p;
      },
    };
  },

  'PUT /recibos/configuracion': async () => {
    const { app, token } = await createTenant();
    return {
      token,
      apps: [app.id],
      parametros: {},
      base: { autofactura_slug: `hostil-${app.id.slice(-8)}`, dias_autofactura: 30, tras_global: 'rechazar' },
      // The configuration reads back as answered.
      async tras2xx(r) {
        const leida = await llamar('GET', '/recibos/configuracion', { token });
        return JSON.stringify(jsonDe(leida)) === JSON.stringify(r.body) ? [] : [`GET /recibos/configuracion → ${leida.texto.slice(0, 200)}, PUT respondió ${JSON.stringify(r.body)}`];
      },
      sinIdempotencia: 'PUT: la misma configuración otra vez la deja igual',
    };
  },

  'POST /recibos/{id}/cancelar': async () => {
    const { app, token } = await createEmisor();
    const recibo = async () => (await insertarRecibo(app.id, { fecha: '2026-11-03T10:00:00' })).id;
    const ctx: Contexto = {
      token,
      apps: [app.id],
      parametros: { id: await recibo() },
      base: {},
      // The recibo is cancelled; the next body gets a fresh vigente one.
      async tras2xx(r) {
        const p = r.body?.status === 'cancelado' && r.body.id === ctx.parametros.id ? [] : [`cancelado pero respondió ${JSON.stringify(r.body).slice(0, 200)}`];
        ctx.parametros.id = await recibo();
        return p;
      },
      sinIdempotencia: 'cancelar otra vez un recibo cancelado es 409: no crea nada que repetir',
    };
    return ctx;
  },

  'POST /recibos/{id}/facturar': async () => {
    const { app, token } = await createEmisor();
    const recibo = async () => (await insertarRecibo(app.id, { fecha: hoyMexico() + 'T08:00:00' })).id;
    const ctx: Contexto = {
      token,
      apps: [app.id],
      parametros: { id: await recibo() },
      base: { receptor: { ...RECEPTOR, uso_cfdi: 'G03' }, email: 'cliente@ejemplo.mx' },
      tokenPorCuerpo: () => createKey(app.id),
      // The recibo's CFDI is stamped and verified; the recibo is facturado; the next body gets a fresh one.
      async tras2xx(r) {
        const p = await verificarComprobante(token, r.body.id, `hostil-recibos-facturar-${r.n}`, { completo: completo(r) });
        const fila = await getDb(env).select().from(recibos).where(eq(recibos.id, ctx.parametros.id!)).get();
        if (fila?.status !== 'facturado' || fila.factura_id !== r.body.id) p.push(`el recibo quedó ${fila?.status} (${fila?.factura_id})`);
        ctx.parametros.id = await recibo();
        return p;
      },
    };
    return ctx;
  },

  'POST /facturas/{id}/timbrar': async () => borradorATimbrar('/facturas', async () => facturaCompleta()),
  'POST /notas-credito/{id}/timbrar': async () =>
    borradorATimbrar('/notas-credito', async (token) => {
      const relacionada = await timbrarYa(token, '/facturas', { ...facturaPPD('1000000.00'), metodo_pago: 'PUE', forma_pago: '03' });
      const base = facturaCompleta() as Record<string, Json>;
      const concepto = (base.conceptos as Record<string, Json>[])[0]!;
      return {
        ...base,
        serie: 'NCH',
        receptor: { ...RECEPTOR, uso_cfdi: 'G02' },
        conceptos: [{ ...concepto, clave_prod_serv: '84111506', clave_unidad: 'ACT', descripcion: 'Bonificación', cantidad: '1', valor_unitario: '1.00', descuento: '0.10' }],
        cfdi_relacionados: [{ tipo_relacion: '01', uuids: [relacionada.uuid] }],
      };
    }),
};

const EMISOR = { name: 'Sucursal Pachuca', rfc: 'EKU9003173C9', razon_social: 'Escuela Kemper Urgate', regimen_fiscal: '601', lugar_expedicion: '42501' };
/** The SAT's test CSD (EKU9003173C9) in env.TEST_CSD_CER. */
const NO_CERTIFICADO_PRUEBA = '30001000000500003416';

/** A path parameter as the router reads it (one that is not valid percent-encoding stays as sent). */
function decodificado(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The body as sent, when it is a JSON object (for comparing what was stored with it). */
function jsonEnviado(c: Cuerpo): Record<string, any> | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(c.bytes));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A platform with a key and one application of its own, created through the API. */
async function aplicacionDePrueba() {
  const { platformId, token } = await plataformaConKey();
  const res = await llamar('POST', '/plataforma/aplicaciones', { token, body: EMISOR });
  if (res.status !== 201) throw new Error(`aplicación: ${res.status} ${res.texto}`);
  return { platformId, token, app: jsonDe(res) as { id: string; rfc: string } };
}

/** Suspending or reactivating takes no body; each one accepted is undone so the next body finds the same state. */
async function aplicacionConAccion(accion: 'suspender' | 'reactivar'): Promise<Contexto> {
  const { platformId, token, app } = await aplicacionDePrueba();
  const deps = depsDe(env);
  if (accion === 'reactivar') await suspenderAplicacionDePlataforma(deps, platformId, app.id);
  const esperado = accion === 'suspender' ? 'suspended' : 'active';
  return {
    token,
    apps: [platformId, app.id],
    parametros: { id: app.id },
    base: {},
    async tras2xx(r) {
      const a = jsonDe(await llamar('GET', `/plataforma/aplicaciones/${app.id}`, { token }));
      const p = r.body?.id === app.id && r.body?.status === esperado && a.status === esperado ? [] : [`${accion}: la respuesta dice ${r.body?.status}, la aplicación quedó ${a.status}`];
      await (accion === 'suspender' ? reactivarAplicacionDePlataforma : suspenderAplicacionDePlataforma)(deps, platformId, app.id);
      return p;
    },
    sinIdempotencia: 'acción sobre una aplicación existente, sin cuerpo',
    // The body is never read: a few of the whole-body classes are enough.
    muestras: { crudos: 6, content_type: 5 },
  };
}

/** A draft stored with borrador: true; POST …/{id}/timbrar takes no body and stamps it; the next body gets a fresh draft. */
async function borradorATimbrar(ruta: string, cuerpo: (token: string) => Promise<Json>): Promise<Contexto> {
  const { app, token } = await createEmisor();
  const datos = (await cuerpo(token)) as Record<string, Json>;
  const borrador = async () => {
    const res = await llamar('POST', ruta, { token, body: { ...datos, borrador: true } });
    if (res.status !== 201) throw new Error(`borrador: ${res.status} ${res.texto}`);
    return jsonDe(res).id as string;
  };
  const ctx: Contexto = {
    token,
    apps: [app.id],
    parametros: { id: await borrador() },
    base: {},
    async tras2xx(r) {
      const id = ctx.parametros.id!;
      const p = r.body?.id === id ? [] : [`la respuesta nombra ${r.body?.id}, no el borrador ${id}`];
      p.push(...(await verificarComprobante(token, id, `hostil-timbrar${ruta.replace(/\//g, '-')}-${r.n}`, { completo: r.n === 0 })));
      ctx.parametros.id = await borrador();
      return p;
    },
    // The body is never read: a few of the whole-body classes are enough.
    muestras: { crudos: 6, content_type: 5 },
  };
  return ctx;
}

async function validarSinEfecto(ruta: string, base: (token: string) => Promise<Json>, muestras?: Partial<Muestras>): Promise<Contexto> {
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
    ...(muestras ? { muestras } : {}),
  };
  // the invoices the base relates are the tenant's own rows: validar must add none
  const antes = await filas();
  return ctx;
}

/** A webhook of an application (/webhooks) or of a platform (/plataforma/webhooks) and the action on it, which takes no body. */
async function webhookConAccion(accion: 'rotar-secreto' | 'prueba' | 'reenviar', prefijo = '/webhooks'): Promise<Contexto> {
  const plataforma = prefijo !== '/webhooks';
  const { id: dueno, token } = plataforma ? await plataformaConKey().then((p) => ({ id: p.platformId, token: p.token })) : await createTenant().then((t) => ({ id: t.app.id, token: t.token }));
  const res = await llamar('POST', prefijo, { token, body: { url: `https://${hostUnico()}/hook`, events: ['*'] } });
  if (res.status !== 201) throw new Error(`webhook: ${res.status} ${res.texto}`);
  const webhook = jsonDe(res);
  const parametros: Record<string, string> = { id: webhook.id };
  const entregas = async () => jsonDe(await llamar('GET', `${prefijo}/${webhook.id}/entregas?limit=100`, { token })).data as { id: string; status: string }[];
  if (accion === 'reenviar') {
    // A finished delivery to resend: the webhook's test event, once its receiver answered.
    const prueba = jsonDe(await llamar('POST', `${prefijo}/${webhook.id}/prueba`, { token }));
    const { esperar } = await import('../workers/webhooks-helpers');
    await esperar(entregas, (l) => l.some((e) => e.id === prueba.id && e.status !== 'pendiente'));
    parametros.entrega = prueba.id;
  }
  let secreto = webhook.secret as string;
  return {
    token,
    apps: [dueno],
    parametros,
    base: {},
    // What the action says it did: a new secret (the old one still named), or a delivery now in the webhook's log.
    async tras2xx(r) {
      if (accion === 'rotar-secreto') {
        const p = typeof r.body?.secret === 'string' && r.body.secret.startsWith('whsec_') && r.body.secret !== secreto ? [] : [`rotar-secreto no dio un secreto nuevo: ${JSON.stringify(r.body?.secret)}`];
        secreto = r.body?.secret ?? secreto;
        return p;
      }
      return (await entregas()).some((e) => e.id === r.body?.id) ? [] : [`${accion}: la entrega ${r.body?.id} no está en las entregas del webhook`];
    },
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
