/**
 * Fiscal validation of a CFDI 4.0 de ingreso/egreso (Anexo 20 and its guía de llenado): catalogs,
 * formats and cross-field rules. Every problem is collected (never stop at the first) with the JSON
 * path of the input field and, where the SAT's matriz de errores has one, its CFDI40xxx code.
 *
 * c_ClaveProdServ and c_CodigoPostal are validated by FORMAT ONLY (8 and 5 digits): their catalog
 * data are not available yet, so a well-formed but nonexistent clave can still be rejected by the PAC.
 * Rules that need SAT-side lists (l_RFC, nombre and domicilio registered for an RFC, TipoCambio
 * limits needing Confirmacion) cannot be checked here either.
 */
import * as cat from './catalogs';
import { dec, importeConcepto } from './calc';
import type { ConceptoInput, Emisor, FacturaInput } from './model';

export interface ValidationIssue {
  /** Path in the input, e.g. "conceptos[0].impuestos.traslados[1].tasa_o_cuota". */
  path: string;
  message: string;
  /** The SAT's CFDI40xxx code, where the matriz de errores has one. */
  code?: string;
}

export const RFC_PUBLICO_EN_GENERAL = 'XAXX010101000';
export const RFC_EXTRANJERO = 'XEXX010101000';
export const NOMBRE_PUBLICO_EN_GENERAL = 'PUBLICO EN GENERAL';
const RFC_RE = /^[A-Z&Ñ]{3,4}[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A]$/;
const CP_RE = /^[0-9]{5}$/;
const FECHA_RE = /^(20[1-9][0-9])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/;
/** How far back Fecha may be when the CFDI is sealed and sent for stamping. */
export const MAX_ANTIGUEDAD_MS = 72 * 3600 * 1000;

export type Persona = 'fisica' | 'moral';

/** Persona moral RFCs have 12 characters, física 13 (generic RFCs have 13). */
export function tipoPersona(rfc: string): Persona {
  return rfc.length === 12 ? 'moral' : 'fisica';
}

export function rfcValido(rfc: string): boolean {
  return RFC_RE.test(rfc);
}

const esGenerico = (rfc: string) => rfc === RFC_PUBLICO_EN_GENERAL || rfc === RFC_EXTRANJERO;

// ---------------------------------------------------------------------------------------------
// Fecha: local time at LugarExpedicion.

/**
 * IANA time zone of a Mexican código postal, from its first two digits (the state). Default
 * America/Mexico_City (Tiempo del Centro); the states with another legal time are mapped.
 */
export function zonaHoraria(codigoPostal: string): string {
  const estado = Number(codigoPostal.slice(0, 2));
  if (estado === 21 || estado === 22) return 'America/Tijuana'; // Baja California
  if (estado === 23 || (estado >= 80 && estado <= 82) || estado === 63) return 'America/Mazatlan'; // BCS, Sinaloa, Nayarit
  if (estado >= 83 && estado <= 85) return 'America/Hermosillo'; // Sonora
  if (estado >= 31 && estado <= 33) return 'America/Chihuahua';
  if (estado === 77) return 'America/Cancun'; // Quintana Roo
  return 'America/Mexico_City';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partesIntl(instante: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(instante).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

// Intl is slow (tens of µs a call) and sits on the sealing hot path. Mexican zones change offset only
// on whole UTC hours, so the offset of each zone and hour is computed once and reused.
const HORA = 3_600_000;
const desfases = new Map<string, number>();
function desfase(instante: number, timeZone: string): number {
  const hora = Math.floor(instante / HORA) * HORA;
  const clave = `${timeZone}@${hora}`;
  let d = desfases.get(clave);
  if (d === undefined) {
    const p = partesIntl(hora, timeZone);
    d = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hora;
    if (desfases.size > 10_000) desfases.clear();
    desfases.set(clave, d);
  }
  return d;
}

function partes(instante: Date, timeZone: string): Record<string, number> {
  const local = new Date(instante.getTime() + desfase(instante.getTime(), timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** `instante` as wall-clock time in `timeZone`, formatted `YYYY-MM-DDTHH:mm:ss` (no offset, as the SAT wants). */
export function fechaLocal(instante: Date, timeZone: string): string {
  const p = partes(instante, timeZone);
  const d2 = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${d2(p.month)}-${d2(p.day)}T${d2(p.hour)}:${d2(p.minute)}:${d2(p.second)}`;
}

/** The instant at which the wall clock in `timeZone` reads `fecha` (`YYYY-MM-DDTHH:mm:ss`). */
export function instanteDeFechaLocal(fecha: string, timeZone: string): Date {
  const comoUtc = Date.parse(`${fecha}Z`);
  const desfase = (t: number) => {
    const p = partes(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  // Two passes settle the offset even next to a DST change.
  const primera = comoUtc - desfase(comoUtc);
  return new Date(comoUtc - desfase(primera));
}

/** Validates an explicit Fecha: pattern (CFDI40101), not in the future, not older than 72 hours. */
export function validarFecha(fecha: string, lugarExpedicion: string, ahora: Date): ValidationIssue[] {
  if (!FECHA_RE.test(fecha) || Number.isNaN(Date.parse(`${fecha}Z`))) {
    return [{ path: 'fecha', code: 'CFDI40101', message: 'La fecha debe tener el formato AAAA-MM-DDThh:mm:ss, en hora local y sin zona horaria.' }];
  }
  const zona = zonaHoraria(lugarExpedicion);
  const instante = instanteDeFechaLocal(fecha, zona).getTime();
  if (instante > ahora.getTime()) {
    return [{ path: 'fecha', message: `La fecha no puede ser posterior a la hora actual del lugar de expedición (${fechaLocal(ahora, zona)}, ${zona}).` }];
  }
  if (ahora.getTime() - instante > MAX_ANTIGUEDAD_MS) {
    return [{ path: 'fecha', message: 'La fecha no puede tener más de 72 horas de antigüedad al momento del timbrado.' }];
  }
  return [];
}

/**
 * The comprobante's Fecha: the given one if valid, else (omitted or invalid, with its problems) `ahora`
 * as local time at LugarExpedicion, so that the other rules can still run on a sensible date.
 */
export function resolverFecha(fecha: string | undefined, lugarExpedicion: string, ahora: Date): { fecha: string; errors: ValidationIssue[] } {
  const errors = fecha === undefined ? [] : validarFecha(fecha, lugarExpedicion, ahora);
  return { fecha: fecha === undefined || errors.length ? fechaLocal(ahora, zonaHoraria(lugarExpedicion)) : fecha, errors };
}

// ---------------------------------------------------------------------------------------------

export interface ContextoValidacion {
  tipo: 'I' | 'E';
  /** Fecha of the comprobante (local, already validated or generated): catalogs must be in force that day. */
  fecha: string;
}

export type Add = (path: string, message: string, code?: string) => void;

export function validarEmisor(emisor: Emisor, fecha: string, add: Add) {
  if (!rfcValido(emisor.rfc) || esGenerico(emisor.rfc)) add('emisor.rfc', `El RFC del emisor ${emisor.rfc} no es válido.`);
  if (!emisor.nombre.trim()) add('emisor.nombre', 'El nombre del emisor es obligatorio.');
  const regimen = cat.regimenFiscal(emisor.regimenFiscal, fecha);
  if (!regimen) add('emisor.regimen_fiscal', `El régimen fiscal ${emisor.regimenFiscal} del emisor no está en el catálogo c_RegimenFiscal.`, 'CFDI40140');
  else if (!(tipoPersona(emisor.rfc) === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('emisor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${tipoPersona(emisor.rfc) === 'moral' ? 'moral' : 'física'}.`, 'CFDI40141');
  }
  if (!CP_RE.test(emisor.lugarExpedicion)) {
    add('emisor.lugar_expedicion', 'El lugar de expedición debe ser un código postal de 5 dígitos (c_CodigoPostal; solo se valida el formato).', 'CFDI40126');
  }
}

/** Receptor rules shared by every tipo de comprobante (pagos.ts uses them for tipo P). */
export function validarReceptor(r: FacturaInput['receptor'], emisor: Emisor, fecha: string, add: Add) {
  if (!rfcValido(r.rfc)) add('receptor.rfc', `El RFC ${r.rfc} no tiene un formato válido (12 caracteres persona moral, 13 persona física).`);
  const persona = tipoPersona(r.rfc);

  if (r.nombre === NOMBRE_PUBLICO_EN_GENERAL && r.rfc !== RFC_PUBLICO_EN_GENERAL) {
    add('receptor.rfc', `Con el nombre ${NOMBRE_PUBLICO_EN_GENERAL} el RFC debe ser ${RFC_PUBLICO_EN_GENERAL}.`, 'CFDI40146');
  }
  if (r.rfc === RFC_PUBLICO_EN_GENERAL && r.nombre !== NOMBRE_PUBLICO_EN_GENERAL) {
    add('receptor.nombre', `Con el RFC genérico ${RFC_PUBLICO_EN_GENERAL} el nombre debe ser ${NOMBRE_PUBLICO_EN_GENERAL}.`);
  }

  if (!CP_RE.test(r.domicilio_fiscal)) {
    add('receptor.domicilio_fiscal', 'El domicilio fiscal del receptor debe ser un código postal de 5 dígitos (c_CodigoPostal; solo se valida el formato).');
  }
  if (esGenerico(r.rfc) && r.domicilio_fiscal !== emisor.lugarExpedicion) {
    add('receptor.domicilio_fiscal', `Con un RFC genérico el domicilio fiscal del receptor debe ser igual al lugar de expedición (${emisor.lugarExpedicion}).`, 'CFDI40149');
  }

  if (r.residencia_fiscal !== undefined) {
    if (r.rfc !== RFC_EXTRANJERO) add('receptor.residencia_fiscal', `La residencia fiscal solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40151');
    if (r.residencia_fiscal === 'MEX') add('receptor.residencia_fiscal', 'La residencia fiscal no puede ser MEX.', 'CFDI40152');
    else if (!cat.pais(r.residencia_fiscal)) add('receptor.residencia_fiscal', `${r.residencia_fiscal} no está en el catálogo c_Pais.`, 'CFDI40150');
  }
  if (r.num_reg_id_trib !== undefined) {
    if (r.rfc !== RFC_EXTRANJERO) add('receptor.num_reg_id_trib', `El NumRegIdTrib solo se registra con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CFDI40154');
    if (r.residencia_fiscal === undefined) add('receptor.residencia_fiscal', 'Si se registra num_reg_id_trib debe registrarse la residencia fiscal.', 'CFDI40153');
  }

  const regimen = cat.regimenFiscal(r.regimen_fiscal, fecha);
  if (!regimen) add('receptor.regimen_fiscal', `El régimen fiscal ${r.regimen_fiscal} no está en el catálogo c_RegimenFiscal.`, 'CFDI40157');
  else if (esGenerico(r.rfc) && regimen.id !== '616') {
    add('receptor.regimen_fiscal', 'Con un RFC genérico el régimen fiscal del receptor debe ser 616 (Sin obligaciones fiscales).', 'CFDI40159');
  } else if (!(persona === 'moral' ? regimen.aplicaMoral : regimen.aplicaFisica)) {
    add('receptor.regimen_fiscal', `El régimen fiscal ${regimen.id} no aplica a una persona ${persona === 'moral' ? 'moral' : 'física'}.`, 'CFDI40158');
  }

  const uso = cat.usoCfdi(r.uso_cfdi, fecha);
  if (!uso) add('receptor.uso_cfdi', `El uso de CFDI ${r.uso_cfdi} no está en el catálogo c_UsoCFDI.`, 'CFDI40160');
  else if (!(persona === 'moral' ? uso.aplicaMoral : uso.aplicaFisica)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica a una persona ${persona === 'moral' ? 'moral' : 'física'}.`, 'CFDI40161');
  } else if (regimen && !uso.regimenesFiscalesReceptores.includes(regimen.id)) {
    add('receptor.uso_cfdi', `El uso de CFDI ${uso.id} no aplica al régimen fiscal ${regimen.id} del receptor (admite: ${uso.regimenesFiscalesReceptores.join(', ')}).`, 'CFDI40161');
  } else if (esGenerico(r.rfc) && uso.id !== 'S01' && uso.id !== 'CP01') {
    add('receptor.uso_cfdi', 'Con un RFC genérico el uso de CFDI debe ser S01 (Sin efectos fiscales), o CP01 en un complemento de pago.');
  }
}

function validarImpuestos(c: ConceptoInput, path: string, fecha: string, add: Add) {
  const impuestos = c.impuestos;
  const objeto = cat.objetoImp(c.objeto_imp, fecha);
  if (!objeto) add(`${path}.objeto_imp`, `${c.objeto_imp} no está en el catálogo c_ObjetoImp.`, 'CFDI40170');
  // 02 and 07 require the tax breakdown; 01, 03, 04 and 08 say there is nothing to break down.
  else if (['02', '07'].includes(objeto.id) && !impuestos) {
    add(`${path}.impuestos`, `Con objeto_imp ${objeto.id} el concepto debe llevar impuestos.`, 'CFDI40171');
  } else if (['01', '03', '04', '08'].includes(objeto.id) && impuestos) {
    add(`${path}.impuestos`, `Con objeto_imp ${objeto.id} el concepto no debe llevar impuestos.`, 'CFDI40172');
  }
  if (!impuestos) return;
  if (!impuestos.traslados.length && !impuestos.retenciones.length) {
    add(`${path}.impuestos`, 'El nodo impuestos debe tener al menos un traslado o una retención.', 'CFDI40173');
  }

  // Only a Descuento equal to the Importe leaves a zero base unexplained: a zero Cantidad or
  // ValorUnitario, or a Descuento over the Importe, are reported at their own field.
  const importe = importeConcepto(c);
  const sinBase = importe.gt(0) && c.descuento !== undefined && dec(c.descuento).eq(importe);

  impuestos.traslados.forEach((t, j) => {
    const p = `${path}.impuestos.traslados[${j}]`;
    if (sinBase && t.tipo_factor !== 'Cuota') add(p, 'La base del traslado (importe − descuento) debe ser mayor que cero.', 'CFDI40174');
    const impuestoValido = cat.impuesto(t.impuesto, fecha)?.traslado === true;
    if (!impuestoValido) add(`${p}.impuesto`, `${t.impuesto} no es un impuesto trasladable del catálogo c_Impuesto (002 IVA, 003 IEPS).`, 'CFDI40175');
    if (!cat.tipoFactor(t.tipo_factor, fecha)) add(`${p}.tipo_factor`, `${t.tipo_factor} no está en el catálogo c_TipoFactor.`, 'CFDI40176');
    else if (t.tipo_factor === 'Exento') {
      if (t.tasa_o_cuota !== undefined) add(`${p}.tasa_o_cuota`, 'Un traslado Exento no lleva tasa o cuota.', 'CFDI40177');
    } else if (t.tasa_o_cuota === undefined) add(`${p}.tasa_o_cuota`, `Un traslado con factor ${t.tipo_factor} requiere tasa_o_cuota.`, 'CFDI40178');
    else if (impuestoValido && !cat.reglaTasaCuota(t.impuesto, t.tipo_factor, String(t.tasa_o_cuota), 'traslado', fecha)) {
      add(`${p}.tasa_o_cuota`, `La tasa o cuota ${t.tasa_o_cuota} no está en el catálogo c_TasaOCuota para el traslado de ${t.impuesto} con factor ${t.tipo_factor}.`, 'CFDI40179');
    }
  });
  impuestos.retenciones.forEach((r, j) => {
    const p = `${path}.impuestos.retenciones[${j}]`;
    if (sinBase && r.tipo_factor !== 'Cuota') add(p, 'La base de la retención (importe − descuento) debe ser mayor que cero.', 'CFDI40181');
    const impuestoValido = cat.impuesto(r.impuesto, fecha)?.retencion === true;
    if (!impuestoValido) add(`${p}.impuesto`, `${r.impuesto} no es un impuesto retenible del catálogo c_Impuesto (001 ISR, 002 IVA, 003 IEPS).`, 'CFDI40182');
    if (!cat.tipoFactor(r.tipo_factor, fecha)) add(`${p}.tipo_factor`, `${r.tipo_factor} no está en el catálogo c_TipoFactor.`, 'CFDI40183');
    else if (r.tipo_factor === 'Exento') add(`${p}.tipo_factor`, 'Una retención no puede ser Exento.', 'CFDI40184');
    else if (r.tasa_o_cuota === undefined) add(`${p}.tasa_o_cuota`, 'Una retención requiere tasa_o_cuota.', 'CFDI40185');
    else if (impuestoValido && !cat.reglaTasaCuota(r.impuesto, r.tipo_factor, String(r.tasa_o_cuota), 'retencion', fecha)) {
      add(`${p}.tasa_o_cuota`, `La tasa o cuota ${r.tasa_o_cuota} no está en el catálogo c_TasaOCuota para la retención de ${r.impuesto} con factor ${r.tipo_factor}.`, 'CFDI40185');
    }
  });
}

function validarConceptos(input: FacturaInput, ctx: ContextoValidacion, add: Add) {
  input.conceptos.forEach((c, n) => {
    const path = `conceptos[${n}]`;
    if (!/^[0-9]{8}$/.test(c.clave_prod_serv)) {
      add(`${path}.clave_prod_serv`, 'La clave de producto o servicio debe tener 8 dígitos (c_ClaveProdServ; solo se valida el formato, el catálogo aún no está disponible).', 'CFDI40162');
    }
    if (!cat.claveUnidad(c.clave_unidad, ctx.fecha)) add(`${path}.clave_unidad`, `${c.clave_unidad} no está en el catálogo c_ClaveUnidad.`, 'CFDI40165');
    if (dec(c.cantidad).lte(0)) add(`${path}.cantidad`, 'La cantidad debe ser mayor que cero.');
    if (dec(c.valor_unitario).lte(0)) add(`${path}.valor_unitario`, 'El valor unitario debe ser mayor que cero en comprobantes de ingreso y egreso.', 'CFDI40166');
    if (c.descuento !== undefined && dec(c.descuento).gt(importeConcepto(c))) {
      add(`${path}.descuento`, 'El descuento no puede ser mayor que el importe del concepto (cantidad × valor unitario).', 'CFDI40169');
    }
    validarImpuestos(c, path, ctx.fecha, add);
  });
}

function validarPago(input: FacturaInput, add: Add, fecha: string) {
  if (input.forma_pago === undefined) add('forma_pago', 'La forma de pago es obligatoria (99 si aún no se conoce, con método PPD).');
  else if (!cat.formaPago(input.forma_pago, fecha)) add('forma_pago', `${input.forma_pago} no está en el catálogo c_FormaPago.`, 'CFDI40104');
  if (input.metodo_pago === undefined) add('metodo_pago', 'El método de pago es obligatorio (PUE o PPD).');
  else if (!cat.metodoPago(input.metodo_pago, fecha)) add('metodo_pago', `${input.metodo_pago} no está en el catálogo c_MetodoPago (PUE, PPD).`, 'CFDI40124');
  else if (input.metodo_pago === 'PPD' && input.forma_pago !== undefined && input.forma_pago !== '99') {
    add('forma_pago', 'Con método de pago PPD la forma de pago debe ser 99 (Por definir).', 'CFDI40105');
  }
}

function validarMoneda(input: FacturaInput, add: Add, fecha: string) {
  const moneda = cat.moneda(input.moneda, fecha);
  if (!moneda) {
    add('moneda', `${input.moneda} no está en el catálogo c_Moneda.`, 'CFDI40113');
    return;
  }
  if (moneda.id === 'XXX') add('moneda', 'La moneda XXX solo aplica a comprobantes de pago y traslado.');
  const tc = input.tipo_cambio;
  if (moneda.id === 'MXN') {
    if (tc !== undefined && !dec(tc).eq(1)) add('tipo_cambio', 'Con moneda MXN el tipo de cambio se omite o es 1.', 'CFDI40114');
  } else if (moneda.id === 'XXX') {
    if (tc !== undefined) add('tipo_cambio', 'Con moneda XXX no se registra tipo de cambio.', 'CFDI40116');
  } else if (tc === undefined) {
    add('tipo_cambio', `El tipo de cambio es obligatorio con moneda ${moneda.id}.`, 'CFDI40115');
  } else if (dec(tc).lte(0)) {
    add('tipo_cambio', 'El tipo de cambio debe ser mayor que cero.', 'CFDI40117');
  }
}

function validarInformacionGlobal(input: FacturaInput, emisor: Emisor, ctx: ContextoValidacion, add: Add) {
  const r = input.receptor;
  const g = input.informacion_global;
  const publicoEnGeneral = r.rfc === RFC_PUBLICO_EN_GENERAL && r.nombre === NOMBRE_PUBLICO_EN_GENERAL;
  if (!g) {
    if (publicoEnGeneral && ctx.tipo === 'I') {
      add('informacion_global', `Una factura a ${NOMBRE_PUBLICO_EN_GENERAL} (${RFC_PUBLICO_EN_GENERAL}) requiere informacion_global.`, 'CFDI40130');
    }
    return;
  }
  if (!publicoEnGeneral || ctx.tipo !== 'I') {
    add('informacion_global', `informacion_global solo aplica a facturas de ingreso a ${NOMBRE_PUBLICO_EN_GENERAL} (${RFC_PUBLICO_EN_GENERAL}).`);
  }
  const periodicidad = cat.periodicidad(g.periodicidad, ctx.fecha);
  if (!periodicidad) add('informacion_global.periodicidad', `${g.periodicidad} no está en el catálogo c_Periodicidad.`, 'CFDI40131');
  else if (periodicidad.id === '05' && emisor.regimenFiscal !== '621') {
    add('informacion_global.periodicidad', 'La periodicidad 05 (bimestral) solo aplica al régimen 621 (Incorporación Fiscal).', 'CFDI40132');
  }
  const mes = cat.mes(g.meses, ctx.fecha);
  if (!mes) add('informacion_global.meses', `${g.meses} no está en el catálogo c_Meses.`, 'CFDI40133');
  else if (periodicidad?.id === '05' && !(mes.id >= '13' && mes.id <= '18')) {
    add('informacion_global.meses', 'Con periodicidad bimestral los meses deben ser 13 a 18.', 'CFDI40135');
  } else if (periodicidad && periodicidad.id !== '05' && !(mes.id >= '01' && mes.id <= '12')) {
    add('informacion_global.meses', 'Con periodicidad diaria, semanal, quincenal o mensual los meses deben ser 01 a 12.', 'CFDI40134');
  }
  const anio = Number(ctx.fecha.slice(0, 4));
  if (g.año !== anio && g.año !== anio - 1) {
    add('informacion_global.año', `El año debe ser el de la fecha del comprobante (${anio}) o el anterior.`, 'CFDI40136');
  }
}

function validarRelacionados(input: FacturaInput, ctx: ContextoValidacion, add: Add) {
  if (ctx.tipo === 'E' && input.cfdi_relacionados.length === 0) {
    add('cfdi_relacionados', 'Una nota de crédito (egreso) debe relacionar los CFDI a los que aplica (p. ej. tipo_relacion 01).');
  }
  input.cfdi_relacionados.forEach((rel, n) => {
    if (!cat.tipoRelacion(rel.tipo_relacion, ctx.fecha)) {
      add(`cfdi_relacionados[${n}].tipo_relacion`, `${rel.tipo_relacion} no está en el catálogo c_TipoRelacion.`, 'CFDI40137');
    }
  });
}

/**
 * All fiscal rules for an already shape-checked input (FacturaInputSchema), the emisor and the
 * document type. Returns every problem found; an empty list means calc.ts can run safely.
 */
export function validarFactura(input: FacturaInput, emisor: Emisor, ctx: ContextoValidacion): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add: Add = (path, message, code) => issues.push(code ? { path, message, code } : { path, message });
  const { fecha } = ctx;

  validarEmisor(emisor, fecha, add);
  validarReceptor(input.receptor, emisor, fecha, add);
  // CP01 (Pagos) and CN01 (Nómina) belong to tipos P and N only.
  if (input.receptor.uso_cfdi === 'CP01' || input.receptor.uso_cfdi === 'CN01') {
    add('receptor.uso_cfdi', `El uso de CFDI ${input.receptor.uso_cfdi} no aplica a un comprobante de ${ctx.tipo === 'I' ? 'ingreso' : 'egreso'}.`, 'CFDI40161');
  }
  validarPago(input, add, fecha);
  validarMoneda(input, add, fecha);
  if (!cat.exportacion(input.exportacion, fecha)) add('exportacion', `${input.exportacion} no está en el catálogo c_Exportacion.`, 'CFDI40123');
  else if (input.exportacion === '02') {
    add('exportacion', 'La exportación 02 requiere el complemento de comercio exterior, que no se admite.', 'CFDI40122');
  }
  validarInformacionGlobal(input, emisor, ctx, add);
  validarRelacionados(input, ctx, add);
  validarConceptos(input, ctx, add);
  return issues;
}
