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
import * as cat from '../../catalogs';
import type { Emisor } from '../../comprobante';
import { dec, positivo } from '../../decimal';
import { NOMBRE_PUBLICO_EN_GENERAL, RFC_PUBLICO_EN_GENERAL } from '../../rfc';
import { impuestosRepetidos, Problemas, validarEmisor, validarReceptor, type Add, type ValidationIssue } from '../../validar';
import { importeConcepto } from './calcular';
import type { ConceptoEntrada, FacturaEntrada } from './modelo';

export interface ContextoValidacion {
  tipo: 'I' | 'E';
  /** Fecha of the comprobante (local, already validated or generated): catalogs must be in force that day. */
  fecha: string;
}

function validarImpuestos(c: ConceptoEntrada, path: string, fecha: string, add: Add) {
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
  const sinBase = c.descuento !== undefined && positivo(c.cantidad) && positivo(c.valor_unitario) && dec(c.descuento).eq(importeConcepto(c));

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
  impuestosRepetidos(impuestos.traslados, `${path}.impuestos.traslados`, 'CFDI40218', add);
  impuestosRepetidos(impuestos.retenciones, `${path}.impuestos.retenciones`, 'CFDI40208', add);
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

function validarConceptos(input: FacturaEntrada, ctx: ContextoValidacion, add: Add) {
  input.conceptos.forEach((c, n) => {
    const path = `conceptos[${n}]`;
    if (!/^[0-9]{8}$/.test(c.clave_prod_serv)) {
      add(`${path}.clave_prod_serv`, 'La clave de producto o servicio debe tener 8 dígitos (c_ClaveProdServ; solo se valida el formato, el catálogo aún no está disponible).', 'CFDI40162');
    }
    if (!cat.claveUnidad(c.clave_unidad, ctx.fecha)) add(`${path}.clave_unidad`, `${c.clave_unidad} no está en el catálogo c_ClaveUnidad.`, 'CFDI40165');
    if (!positivo(c.cantidad)) add(`${path}.cantidad`, 'La cantidad debe ser mayor que cero.');
    if (!positivo(c.valor_unitario)) add(`${path}.valor_unitario`, 'El valor unitario debe ser mayor que cero en comprobantes de ingreso y egreso.', 'CFDI40166');
    if (c.descuento !== undefined && dec(c.descuento).gt(importeConcepto(c))) {
      add(`${path}.descuento`, 'El descuento no puede ser mayor que el importe del concepto (cantidad × valor unitario).', 'CFDI40169');
    }
    validarImpuestos(c, path, ctx.fecha, add);
  });
}

function validarPago(input: FacturaEntrada, add: Add, fecha: string) {
  if (input.forma_pago === undefined) add('forma_pago', 'La forma de pago es obligatoria (99 si aún no se conoce, con método PPD).');
  else if (!cat.formaPago(input.forma_pago, fecha)) add('forma_pago', `${input.forma_pago} no está en el catálogo c_FormaPago.`, 'CFDI40104');
  if (input.metodo_pago === undefined) add('metodo_pago', 'El método de pago es obligatorio (PUE o PPD).');
  else if (!cat.metodoPago(input.metodo_pago, fecha)) add('metodo_pago', `${input.metodo_pago} no está en el catálogo c_MetodoPago (PUE, PPD).`, 'CFDI40124');
  else if (input.metodo_pago === 'PPD' && input.forma_pago !== undefined && input.forma_pago !== '99') {
    add('forma_pago', 'Con método de pago PPD la forma de pago debe ser 99 (Por definir).', 'CFDI40105');
  }
}

function validarMoneda(input: FacturaEntrada, add: Add, fecha: string) {
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

function validarInformacionGlobal(input: FacturaEntrada, emisor: Emisor, ctx: ContextoValidacion, add: Add) {
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

function validarRelacionados(input: FacturaEntrada, ctx: ContextoValidacion, add: Add) {
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
 * All fiscal rules for an already shape-checked input (FacturaEntradaSchema), the emisor and the
 * document type. Returns every problem found; an empty list means calc.ts can run safely.
 */
export function validarFactura(input: FacturaEntrada, emisor: Emisor, ctx: ContextoValidacion): ValidationIssue[] {
  const { lista, add } = new Problemas();
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
  return lista;
}
