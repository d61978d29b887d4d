import { and, desc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { catalogs as cat } from '../cfdi';
import { constraintViolation } from '../db/constraints';
import type { Deps } from '../deps';
import { statementOf } from '../db/client';
import { clientApplications, clientes, facturas } from '../db/schema';
import { DomainError, type ErrorDetail } from '../lib/errors';
import { uuidv7 } from '../lib/ids';
import { withIdempotency, type Idempotent } from '../lib/idempotency';
import { cursorCondition, toPage } from '../lib/pagination';
import { esRfcGenerico, motivoTextoInvalido, RFC_PUBLICO_EN_GENERAL, validarRfc, type Persona } from '../cfdi';
import { findOwned, tenantColumns, tenantDb, tenantWhere, type Tenant } from '../lib/tenancy';

// Clientes (receptores) of an application and mode: validation of the fiscal data as the SAT will
// check it on the CFDI, storage, and the receptor the facturas route takes from a `cliente_id`.

export type ClienteRow = typeof clientes.$inferSelect;

/** What a client may send; absent fields keep their value (PATCH) or take their default (POST). */
export interface ClienteEntrada {
  rfc?: string;
  nombre?: string;
  domicilio_fiscal?: string;
  regimen_fiscal?: string;
  uso_cfdi?: string;
  email?: string | null;
}

export interface ClienteDatos {
  rfc: string;
  nombre: string;
  domicilio_fiscal: string;
  regimen_fiscal: string;
  uso_cfdi: string;
  email: string | null;
}

export const NOMBRE_PUBLICO_EN_GENERAL = 'PUBLICO EN GENERAL';
export const REGIMEN_SIN_OBLIGACIONES = '616';
export const USO_SIN_EFECTOS = 'S01';
const USO_GASTOS_EN_GENERAL = 'G03';
const NOMBRE_MAX = 254;
const CP_RE = /^[0-9]{5}$/;

// A trailing régimen societario ("S.A. DE C.V.", "SAPI DE CV", "S. DE R.L.", "A.C.", ...). Since CFDI 4.0
// the receptor's name must be the one on the constancia de situación fiscal, which omits it.
const REGIMEN_SOCIETARIO =
  /[\s,]+(S\.?\s*A\.?\s*P\.?\s*I\.?|S\.?\s*A\.?\s*[BS]\.?|S\.?\s*A\.?|S\.?\s*DE\s+R\.?\s*L\.?|S\.?\s*R\.?\s*L\.?|S\.?\s*P\.?\s*R\.?|S\.?\s*C\.?\s*[LPS]\.?|S\.?\s*C\.?|A\.?\s*C\.?|I\.?\s*A\.?\s*P\.?)(\s+DE\s+(C\.?\s*V\.?|R\.?\s*[LIS]\.?|I\.?\s*P\.?))*\.?$/;

/** Upper case, trimmed, one space between words: the form the SAT registers names in. */
export const normalizarNombre = (nombre: string) => nombre.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('es-MX');

const textoPersona = (p: Persona) => (p === 'moral' ? 'persona moral' : 'persona física');
const hoy = () => new Date().toISOString().slice(0, 10);

/**
 * The uso CFDI a cliente gets when none is given: S01 for generic RFCs; otherwise G03 (gastos en
 * general) when the régimen and the persona admit it, else S01, which every régimen admits.
 */
export function usoCfdiPorDefecto(regimenFiscal: string, persona: Persona, generico: boolean): string {
  if (generico) return USO_SIN_EFECTOS;
  const g03 = cat.usoCfdi(USO_GASTOS_EN_GENERAL, hoy());
  const admite = g03 && (persona === 'moral' ? g03.aplicaMoral : g03.aplicaFisica) && g03.regimenesFiscalesReceptores.includes(regimenFiscal);
  return admite ? USO_GASTOS_EN_GENERAL : USO_SIN_EFECTOS;
}

export interface ContextoCliente {
  /** The emisor's lugar de expedición: a generic RFC's domicilio fiscal must equal it (CFDI40149). */
  lugarExpedicion: string;
}

/**
 * Validates and normalises a cliente as a whole (the POST body, or the stored row merged with a
 * PATCH), reporting every problem at once with its path. `uso_cfdi` undefined takes its default.
 */
export function validarCliente(e: ClienteEntrada, ctx: ContextoCliente): { datos: ClienteDatos } | { problemas: ErrorDetail[] } {
  const problemas: ErrorDetail[] = [];
  const add = (path: string, message: string, code?: string) => problemas.push(code ? { path, message, code } : { path, message });
  const fecha = hoy();

  let rfc = '';
  let persona: Persona | undefined;
  let generico = false;
  if (e.rfc === undefined) add('rfc', 'El RFC es obligatorio.');
  else {
    const r = validarRfc(e.rfc);
    if (r.valido) ({ rfc, persona, generico } = r);
    else add('rfc', `RFC inválido (${r.regla}): ${r.mensaje}`, `rfc_${r.regla}`);
  }

  const nombre = normalizarNombre(e.nombre ?? '');
  const nombreNoXml = motivoTextoInvalido(nombre);
  if (!nombre) add('nombre', 'El nombre o razón social es obligatorio.');
  else if (nombre.length > NOMBRE_MAX) add('nombre', `El nombre admite hasta ${NOMBRE_MAX} caracteres.`);
  else if (nombre.includes('|')) add('nombre', 'El nombre no puede contener el carácter |.');
  else if (nombreNoXml) add('nombre', nombreNoXml);
  else if (rfc === RFC_PUBLICO_EN_GENERAL && nombre !== NOMBRE_PUBLICO_EN_GENERAL) {
    add('nombre', `Con el RFC genérico ${RFC_PUBLICO_EN_GENERAL} el nombre debe ser ${NOMBRE_PUBLICO_EN_GENERAL}.`);
  } else if (nombre === NOMBRE_PUBLICO_EN_GENERAL && rfc && rfc !== RFC_PUBLICO_EN_GENERAL) {
    add('nombre', `El nombre ${NOMBRE_PUBLICO_EN_GENERAL} solo corresponde al RFC ${RFC_PUBLICO_EN_GENERAL}.`, 'CFDI40146');
  } else if (persona === 'moral' && !generico) {
    const sin = nombre.replace(REGIMEN_SOCIETARIO, '');
    if (sin !== nombre && sin) {
      add('nombre', `El nombre debe registrarse sin el régimen societario, como en la constancia de situación fiscal: ${sin}.`);
    }
  }

  let domicilio = e.domicilio_fiscal?.trim();
  if (generico) {
    domicilio ??= ctx.lugarExpedicion;
    if (domicilio !== ctx.lugarExpedicion) {
      add('domicilio_fiscal', `Con un RFC genérico el domicilio fiscal debe ser el lugar de expedición del emisor (${ctx.lugarExpedicion}).`, 'CFDI40149');
    }
  } else if (!domicilio) add('domicilio_fiscal', 'El domicilio fiscal (código postal) es obligatorio.', 'HFX_CAMPO_REQUERIDO');
  else if (!CP_RE.test(domicilio)) {
    add('domicilio_fiscal', 'El domicilio fiscal debe ser un código postal de 5 dígitos.', 'HFX_FORMATO');
  } else if (!cat.codigoPostal(domicilio)) {
    // as the factura's DomicilioFiscalReceptor (src/cfdi/comprobantes/ingreso-egreso/validar.ts): a CP that does not exist
    add('domicilio_fiscal', `El código postal ${domicilio} no está en el catálogo c_CodigoPostal.`, 'CFDI40147');
  }

  const regimenId = e.regimen_fiscal?.trim() ?? (generico ? REGIMEN_SIN_OBLIGACIONES : undefined);
  const regimen = regimenId === undefined ? undefined : cat.regimenFiscal(regimenId, fecha);
  if (regimenId === undefined) add('regimen_fiscal', 'El régimen fiscal es obligatorio.');
  else if (!regimen) add('regimen_fiscal', `El régimen fiscal ${regimenId} no está vigente en el catálogo c_RegimenFiscal.`, 'CFDI40157');
  else if (generico && regimen.id !== REGIMEN_SIN_OBLIGACIONES) {
    add('regimen_fiscal', `Con un RFC genérico el régimen fiscal debe ser ${REGIMEN_SIN_OBLIGACIONES} (Sin obligaciones fiscales).`, 'CFDI40159');
  } else if (persona && !(persona === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una ${textoPersona(persona)}.`, 'CFDI40158');
  }

  const usoId = e.uso_cfdi?.trim() ?? (regimen && persona ? usoCfdiPorDefecto(regimen.id, persona, generico) : undefined);
  const uso = usoId === undefined ? undefined : cat.usoCfdi(usoId, fecha);
  if (usoId !== undefined && !uso) add('uso_cfdi', `El uso de CFDI ${usoId} no está vigente en el catálogo c_UsoCFDI.`, 'CFDI40160');
  else if (uso && persona && !(persona === 'moral' ? uso.aplicaMoral : uso.aplicaFisica)) {
    add('uso_cfdi', `El uso de CFDI ${uso.id} no aplica a una ${textoPersona(persona)}.`, 'CFDI40161');
  } else if (uso && generico && uso.id !== USO_SIN_EFECTOS) {
    add('uso_cfdi', `Con un RFC genérico el uso de CFDI debe ser ${USO_SIN_EFECTOS} (Sin efectos fiscales).`);
  } else if (uso && regimen && !uso.regimenesFiscalesReceptores.includes(regimen.id)) {
    const msg = `El uso de CFDI ${uso.id} no es compatible con el régimen fiscal ${regimen.id}`;
    add('uso_cfdi', `${msg} (admite los regímenes ${uso.regimenesFiscalesReceptores.join(', ')}).`, 'CFDI40161');
    add('regimen_fiscal', `${msg}: cambie uno de los dos.`, 'CFDI40161');
  }

  const email = e.email?.trim() || null;
  if (email !== null && (email.length > 254 || !z.email().safeParse(email).success)) add('email', 'El correo electrónico no es válido.');

  if (problemas.length > 0) return { problemas };
  return { datos: { rfc, nombre, domicilio_fiscal: domicilio!, regimen_fiscal: regimen!.id, uso_cfdi: uso!.id, email } };
}

type DbDeps = Pick<Deps, 'db' | 'd1'>;
type IdempotentDeps = Pick<Deps, 'db' | 'd1' | 'clock' | 'masterKey'>;

async function lugarExpedicion(deps: DbDeps, tenant: Tenant): Promise<string> {
  // The tenant's own application, reached through the key's application id.
  const app = await deps.db
    .select({ lugar: clientApplications.lugar_expedicion })
    .from(clientApplications)
    .where(eq(clientApplications.id, tenant.applicationId))
    .get();
  if (!app) throw DomainError.notFound('La aplicación');
  return app.lugar;
}

async function validarOFallar(deps: DbDeps, tenant: Tenant, entrada: ClienteEntrada): Promise<ClienteDatos> {
  const generico = entrada.rfc !== undefined && esRfcGenerico(entrada.rfc.trim().toUpperCase());
  // Only a generic RFC needs the emisor's lugar de expedición.
  const ctx = { lugarExpedicion: generico ? await lugarExpedicion(deps, tenant) : '' };
  const r = validarCliente(entrada, ctx);
  if ('problemas' in r) throw DomainError.validation(r.problemas, 'El cliente tiene datos fiscales inválidos.');
  return r.datos;
}

const duplicado = (rfc: string, existente?: string) =>
  new DomainError('cliente_duplicado', 'conflict',
    existente ? `Ya existe el cliente ${existente} con el RFC ${rfc} en esta aplicación y modo.` : `Ya existe un cliente con el RFC ${rfc} en esta aplicación y modo.`,
    [{ path: 'rfc', message: 'Un RFC solo puede registrarse una vez por aplicación y modo (salvo los RFC genéricos).' }],
  );

async function verificarRfcUnico(deps: DbDeps, tenant: Tenant, rfc: string, excepto?: string) {
  if (esRfcGenerico(rfc)) return;
  const otro = await tenantDb(deps, tenant).db
    .select({ id: clientes.id })
    .from(clientes)
    .where(tenantWhere(clientes, tenant, eq(clientes.rfc, rfc), isNull(clientes.deleted_at), excepto ? ne(clientes.id, excepto) : undefined))
    .get();
  if (otro) throw duplicado(rfc, otro.id);
}

/** Two concurrent requests can both pass the check; the partial unique index stops the second. */
async function conUnicidad<T>(rfc: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    const v = constraintViolation(err);
    if (v?.kind === 'unique' && v.table === 'hexafac_clientes') throw duplicado(rfc);
    throw err;
  }
}

const vivo = isNull(clientes.deleted_at);

export function obtenerCliente(deps: DbDeps, tenant: Tenant, id: string): Promise<ClienteRow> {
  return findOwned(tenantDb(deps, tenant).db, clientes, tenant, id, 'El cliente', vivo);
}

/** Newest first; `q` matches an RFC prefix or a substring of the name, case-insensitively. */
export async function listarClientes(deps: DbDeps, tenant: Tenant, opts: { limit: number; cursor?: string; q?: string }) {
  const q = opts.q ? normalizarNombre(opts.q) : undefined;
  // Names are stored upper case, so an upper-cased query needs no LIKE (and no escaping of % and _).
  const busqueda = q ? or(sql`substr(${clientes.rfc}, 1, ${q.length}) = ${q}`, sql`instr(${clientes.nombre}, ${q}) > 0`) : undefined;
  const rows = await tenantDb(deps, tenant)
    .db.select()
    .from(clientes)
    .where(tenantWhere(clientes, tenant, vivo, cursorCondition(clientes.id, opts.cursor), busqueda))
    .orderBy(desc(clientes.id))
    .limit(opts.limit + 1)
    .all();
  return toPage(rows, opts.limit, (r) => r);
}

export function crearCliente(
  deps: IdempotentDeps,
  tenant: Tenant,
  entrada: ClienteEntrada,
  opts: { idempotencyKey?: string } = {},
): Promise<Idempotent<ClienteRow>> {
  const idem = { key: opts.idempotencyKey, operation: 'clientes.crear', input: entrada };
  return withIdempotency(deps, tenant, idem, async (recibo) => {
    const datos = await validarOFallar(deps, tenant, entrada);
    await verificarRfcUnico(deps, tenant, datos.rfc);
    const ahora = deps.clock().toISOString();
    const row: ClienteRow = { id: uuidv7(), ...tenantColumns(tenant), ...datos, created_at: ahora, updated_at: ahora, deleted_at: null };
    const { db, d1 } = tenantDb(deps, tenant);
    // The row and the key's answer in one batch: a crash keeps both or neither.
    await conUnicidad(datos.rfc, async () => d1.batch([statementOf(d1, db.insert(clientes).values(row)), ...(await recibo(row))]));
    return row;
  });
}

/** PATCH: the stored cliente merged with the given fields is validated as a whole. */
export async function actualizarCliente(deps: DbDeps, tenant: Tenant, id: string, cambios: ClienteEntrada): Promise<ClienteRow> {
  const actual = await obtenerCliente(deps, tenant, id);
  const { rfc, nombre, domicilio_fiscal, regimen_fiscal, uso_cfdi, email } = actual;
  const dados = Object.fromEntries(Object.entries(cambios).filter(([, v]) => v !== undefined));
  const datos = await validarOFallar(deps, tenant, { rfc, nombre, domicilio_fiscal, regimen_fiscal, uso_cfdi, email, ...dados });
  if (datos.rfc !== actual.rfc) await verificarRfcUnico(deps, tenant, datos.rfc, id);
  const row = await conUnicidad(datos.rfc, () =>
    tenantDb(deps, tenant)
      .db.update(clientes)
      .set({ ...datos, updated_at: new Date().toISOString() })
      .where(tenantWhere(clientes, tenant, eq(clientes.id, id), vivo))
      .returning()
      .get(),
  );
  if (!row) throw DomainError.notFound('El cliente');
  return row;
}

/**
 * A cliente that facturas reference is soft-deleted (deleted_at), so the invoice history keeps it;
 * one without facturas is deleted for good. Either way it is a 404 afterwards and its RFC is free.
 */
export async function eliminarCliente(deps: DbDeps, tenant: Tenant, id: string): Promise<'logica' | 'definitiva'> {
  const { db } = tenantDb(deps, tenant);
  const where = tenantWhere(clientes, tenant, eq(clientes.id, id), vivo);
  // One statement decides, so a factura created meanwhile cannot lose its cliente.
  const sinFacturas = sql`NOT EXISTS (SELECT 1 FROM ${facturas} WHERE ${facturas.client_application_id} = ${clientes.client_application_id}
    AND ${facturas.mode} = ${clientes.mode} AND ${facturas.cliente_id} = ${clientes.id})`;
  const borrado = await db.delete(clientes).where(and(where, sinFacturas)).returning({ id: clientes.id }).get();
  if (borrado) return 'definitiva';
  const ahora = new Date().toISOString();
  const marcado = await db.update(clientes).set({ deleted_at: ahora, updated_at: ahora }).where(where).returning({ id: clientes.id }).get();
  if (!marcado) throw DomainError.notFound('El cliente');
  return 'logica';
}

export interface Receptor {
  cliente_id: string;
  rfc: string;
  nombre: string;
  domicilio_fiscal: string;
  regimen_fiscal: string;
  uso_cfdi: string;
}

/**
 * The receptor of a factura given by `cliente_id`. A missing, deleted, or other tenant's cliente is a
 * 422 on `cliente_id` (the request, not the URL, names it).
 */
export async function resolverReceptor(deps: DbDeps, tenant: Tenant, clienteId: string): Promise<Receptor> {
  const c = await tenantDb(deps, tenant).db.select().from(clientes).where(tenantWhere(clientes, tenant, eq(clientes.id, clienteId), vivo)).get();
  if (!c) throw DomainError.validation([{ path: 'cliente_id', message: `El cliente ${clienteId} no existe.` }], 'El cliente indicado no existe.');
  return {
    cliente_id: c.id,
    rfc: c.rfc,
    nombre: c.nombre,
    domicilio_fiscal: c.domicilio_fiscal,
    regimen_fiscal: c.regimen_fiscal,
    uso_cfdi: c.uso_cfdi,
  };
}
