/**
 * Fiscal validation of a CFDI 4.0 de ingreso/egreso, exactly as the SAT's matriz de errores states it
 * (src/cfdi/reglas-cfdi40.ts says what happens to each of its rules) and the guía de llenado where the
 * matrix is silent: catalogs, formats and cross-field rules. Every problem is collected (never stop at the
 * first) with the JSON path of the input field and its code; what the SAT accepts but a contador would
 * question is an advertencia. The rules run over the fields that parsed (FacturaParcial): a field that
 * failed its shape is absent and the rules that read it are skipped.
 */
import * as cat from '../../catalogs';
import type { Emisor } from '../../comprobante';
import { dec, positivo } from '../../decimal';
import { NOMBRE_PUBLICO_EN_GENERAL, RFC_EXTRANJERO, RFC_PUBLICO_EN_GENERAL } from '../../rfc';
import { impuestosRepetidos, Problemas, validarEmisor, validarReceptor, type Add } from '../../validar';
import { validarCartaPorte } from '../../complementos/carta-porte';
import { importeConcepto } from './calcular';
import type { ConceptoParcial, FacturaParcial } from './modelo';

export interface ContextoValidacion {
  tipo: 'I' | 'E';
  /** Fecha of the comprobante (local, already validated or generated): catalogs must be in force that day. */
  fecha: string;
}

const IVA = '002';
const IEPS = '003';

type Impuestos = NonNullable<ConceptoParcial['impuestos']>;
const lineas = (i: Impuestos | undefined) => [...(i?.traslados ?? []), ...(i?.retenciones ?? [])];

/**
 * What each c_ObjetoImp clave allows in the concepto's Impuestos node, as the matrix states it: `cumple`
 * gets the node (undefined when absent). 06 and 08 admit an ISR retention; 03 and the claves not listed
 * here (01 aside) put no condition.
 */
const REGLAS_OBJETO_IMP: Record<string, { codigo: string; mensaje: string; cumple: (i: Impuestos | undefined) => boolean }> = {
  '02': { codigo: 'CFDI40171', mensaje: 'Con objeto_imp 02 el concepto debe llevar impuestos.', cumple: (i) => i !== undefined },
  ...Object.fromEntries(
    ['01', '03', '04', '05'].map((id) => [id, { codigo: 'CFDI40172', mensaje: `Con objeto_imp ${id} el concepto no lleva impuestos.`, cumple: (i: Impuestos | undefined) => i === undefined }]),
  ),
  ...Object.fromEntries(
    ['06', '08'].map((id) => [
      id,
      {
        codigo: 'CFDI40226',
        mensaje: `Con objeto_imp ${id} el concepto no traslada ni retiene IVA (002) ni IEPS (003); admite la retención de ISR (001).`,
        cumple: (i: Impuestos | undefined) => lineas(i).every((l) => l.impuesto !== IVA && l.impuesto !== IEPS),
      },
    ]),
  ),
  '07': {
    codigo: 'CFDI40227',
    mensaje: 'Con objeto_imp 07 el concepto no traslada ni retiene IVA (002) y debe trasladar IEPS (003).',
    cumple: (i) => lineas(i).every((l) => l.impuesto !== IVA) && (i?.traslados ?? []).some((t) => t.impuesto === IEPS),
  },
};

// c_TasaOCuota lists IVA 8 % under the impuesto "IVA Crédito aplicado del 50%" (the franja fronteriza's
// stimulus), a name c_Impuesto does not have, so a lookup by c_Impuesto's IVA misses it.
function validarObjetoImp(c: ConceptoParcial, path: string, fecha: string, add: Add) {
  if (c.objeto_imp === undefined) return;
  const objeto = cat.objetoImp(c.objeto_imp, fecha);
  if (!objeto) add(`${path}.objeto_imp`, `${c.objeto_imp} no está en el catálogo c_ObjetoImp.`, 'CFDI40170');
  const regla = objeto && REGLAS_OBJETO_IMP[objeto.id];
  if (regla && !regla.cumple(c.impuestos)) add(`${path}.impuestos`, regla.mensaje, regla.codigo);
}

function validarImpuestos(c: ConceptoParcial, path: string, emisor: Emisor, fecha: string, p: Problemas) {
  const { add } = p;
  const impuestos = c.impuestos;
  if (!impuestos) return;
  if (!impuestos.traslados?.length && !impuestos.retenciones?.length) {
    add(`${path}.impuestos`, 'El nodo impuestos debe tener al menos un traslado o una retención.', 'CFDI40173');
  }

  // Only a Descuento equal to the Importe leaves a zero base unexplained: a zero Cantidad or
  // ValorUnitario, or a Descuento over the Importe, are reported at their own field.
  const sinBase =
    c.descuento !== undefined && c.cantidad !== undefined && c.valor_unitario !== undefined && positivo(c.cantidad) && positivo(c.valor_unitario) &&
    dec(c.descuento).eq(importeConcepto({ cantidad: c.cantidad, valor_unitario: c.valor_unitario }));

  impuestos.traslados?.forEach((t, j) => {
    const r = `${path}.impuestos.traslados[${j}]`;
    if (sinBase && t.tipo_factor !== 'Cuota') add(r, 'La base del traslado (importe − descuento) debe ser mayor que cero.', 'CFDI40174');
    const impuestoValido = t.impuesto !== undefined && cat.impuesto(t.impuesto, fecha)?.traslado === true;
    if (t.impuesto !== undefined && !impuestoValido) add(`${r}.impuesto`, `${t.impuesto} no es un impuesto trasladable del catálogo c_Impuesto (002 IVA, 003 IEPS).`, 'CFDI40175');
    if (t.tipo_factor === undefined) return;
    if (!cat.tipoFactor(t.tipo_factor, fecha)) add(`${r}.tipo_factor`, `${t.tipo_factor} no está en el catálogo c_TipoFactor.`, 'CFDI40176');
    else if (t.tipo_factor === 'Exento') {
      if (t.tasa_o_cuota !== undefined) add(`${r}.tasa_o_cuota`, 'Un traslado Exento no lleva tasa o cuota.', 'CFDI40177');
    } else if (t.tasa_o_cuota === undefined) add(`${r}.tasa_o_cuota`, `Un traslado con factor ${t.tipo_factor} requiere tasa_o_cuota.`, 'CFDI40178');
    else if (impuestoValido) {
      const regla = cat.reglaTasaCuota(t.impuesto!, t.tipo_factor, String(t.tasa_o_cuota), 'traslado', fecha);
      if (!regla) {
        add(`${r}.tasa_o_cuota`, `La tasa o cuota ${t.tasa_o_cuota} no está en el catálogo c_TasaOCuota para el traslado de ${t.impuesto} con factor ${t.tipo_factor}.`, 'CFDI40179');
      } else if (cat.esIvaFranjaFronteriza(regla)) advertirFranja(c, path, emisor, fecha, p);
    }
  });
  impuestos.retenciones?.forEach((t, j) => {
    const r = `${path}.impuestos.retenciones[${j}]`;
    if (sinBase && t.tipo_factor !== 'Cuota') add(r, 'La base de la retención (importe − descuento) debe ser mayor que cero.', 'CFDI40181');
    const impuestoValido = t.impuesto !== undefined && cat.impuesto(t.impuesto, fecha)?.retencion === true;
    if (t.impuesto !== undefined && !impuestoValido) add(`${r}.impuesto`, `${t.impuesto} no es un impuesto retenible del catálogo c_Impuesto (001 ISR, 002 IVA, 003 IEPS).`, 'CFDI40182');
    if (t.tipo_factor === undefined) return;
    if (!cat.tipoFactor(t.tipo_factor, fecha)) add(`${r}.tipo_factor`, `${t.tipo_factor} no está en el catálogo c_TipoFactor.`, 'CFDI40183');
    else if (t.tipo_factor === 'Exento') add(`${r}.tipo_factor`, 'Una retención no puede ser Exento.', 'CFDI40184');
    else if (t.tasa_o_cuota === undefined) add(`${r}.tasa_o_cuota`, 'Una retención requiere tasa_o_cuota.', 'CFDI40185');
    else if (impuestoValido && !cat.reglaTasaCuota(t.impuesto!, t.tipo_factor, String(t.tasa_o_cuota), 'retencion', fecha)) {
      add(`${r}.tasa_o_cuota`, `La tasa o cuota ${t.tasa_o_cuota} no está en el catálogo c_TasaOCuota para la retención de ${t.impuesto} con factor ${t.tipo_factor}.`, 'CFDI40185');
    }
  });
  // The summary adds duplicates into its one row per combination (CFDI40218, CFDI40208): the SAT accepts them.
  impuestosRepetidos(impuestos.traslados ?? [], `${path}.impuestos.traslados`, 'HFX_IMPUESTO_REPETIDO', p.advertir);
  impuestosRepetidos(impuestos.retenciones ?? [], `${path}.impuestos.retenciones`, 'HFX_IMPUESTO_REPETIDO', p.advertir);
}

/** IVA 8 %: the SAT accepts it anywhere; the stimulus applies only in the franja fronteriza and to the claves it covers. */
function advertirFranja(c: ConceptoParcial, path: string, emisor: Emisor, fecha: string, p: Problemas) {
  if (cat.codigoPostal(emisor.lugarExpedicion)?.franjaFronteriza === false) {
    p.advertir(path, `IVA 8 % con un lugar de expedición (${emisor.lugarExpedicion}) fuera de la franja fronteriza.`, 'HFX_IVA_FRANJA_FUERA');
  }
  if (c.clave_prod_serv !== undefined && cat.claveProdServ(c.clave_prod_serv, fecha)?.estimuloFranjaFronteriza === false) {
    p.advertir(path, `IVA 8 % con la clave ${c.clave_prod_serv}, que c_ClaveProdServ excluye del estímulo de la franja fronteriza.`, 'HFX_IVA_FRANJA_CLAVE');
  }
}

function validarConceptos(input: FacturaParcial, emisor: Emisor, ctx: ContextoValidacion, p: Problemas) {
  const { add } = p;
  input.conceptos?.forEach((c, n) => {
    const path = `conceptos[${n}]`;
    if (c.clave_prod_serv !== undefined && !cat.claveProdServ(c.clave_prod_serv, ctx.fecha)) {
      add(`${path}.clave_prod_serv`, `${c.clave_prod_serv} no es una clave vigente del catálogo c_ClaveProdServ.`, 'CFDI40162');
    }
    if (c.clave_unidad !== undefined && !cat.claveUnidad(c.clave_unidad, ctx.fecha)) add(`${path}.clave_unidad`, `${c.clave_unidad} no está en el catálogo c_ClaveUnidad.`, 'CFDI40165');
    // cfdv40.xsd: Cantidad minInclusive 0.000001; the matrix has no rule of its own.
    if (c.cantidad !== undefined && !positivo(c.cantidad)) add(`${path}.cantidad`, 'La cantidad debe ser mayor que cero.', 'HFX_XSD');
    if (c.valor_unitario !== undefined && !positivo(c.valor_unitario)) {
      add(`${path}.valor_unitario`, 'El valor unitario debe ser mayor que cero en comprobantes de ingreso y egreso.', 'CFDI40166');
    }
    if (c.descuento !== undefined && c.cantidad !== undefined && c.valor_unitario !== undefined) {
      if (dec(c.descuento).gt(importeConcepto({ cantidad: c.cantidad, valor_unitario: c.valor_unitario }))) {
        add(`${path}.descuento`, 'El descuento no puede ser mayor que el importe del concepto (cantidad × valor unitario).', 'CFDI40169');
      }
    }
    validarObjetoImp(c, path, ctx.fecha, add);
    validarImpuestos(c, path, emisor, ctx.fecha, p);
  });
}

function validarPago(input: FacturaParcial, fecha: string, p: Problemas) {
  const { add } = p;
  // The guía de llenado: "Se debe registrar" in ingreso and egreso (the XSD leaves both optional).
  if (input.forma_pago === undefined) add('forma_pago', 'La forma de pago es obligatoria (99 si aún no se conoce, con método PPD).', 'HFX_CAMPO_REQUERIDO');
  else if (!cat.formaPago(input.forma_pago, fecha)) add('forma_pago', `${input.forma_pago} no está en el catálogo c_FormaPago.`, 'CFDI40104');
  if (input.metodo_pago === undefined) add('metodo_pago', 'El método de pago es obligatorio (PUE o PPD).', 'HFX_CAMPO_REQUERIDO');
  else if (!cat.metodoPago(input.metodo_pago, fecha)) add('metodo_pago', `${input.metodo_pago} no está en el catálogo c_MetodoPago (PUE, PPD).`, 'CFDI40124');
  else if (input.metodo_pago === 'PPD' && input.forma_pago !== undefined && input.forma_pago !== '99') {
    add('forma_pago', 'Con método de pago PPD la forma de pago debe ser 99 (Por definir).', 'CFDI40105');
  } else if (input.metodo_pago === 'PUE' && input.forma_pago === '99') {
    p.advertir('forma_pago', 'Forma de pago 99 (Por definir) con método PUE: un pago en una sola exhibición ya tiene forma conocida.', 'HFX_FORMA_PAGO_99_PUE');
  }
}

function validarMoneda(input: FacturaParcial, fecha: string, p: Problemas) {
  const { add } = p;
  if (input.moneda === undefined) return;
  const moneda = cat.moneda(input.moneda, fecha);
  if (!moneda) {
    add('moneda', `${input.moneda} no está en el catálogo c_Moneda.`, 'CFDI40113');
    return;
  }
  const tc = input.tipo_cambio;
  if (moneda.id === 'XXX') {
    p.advertir('moneda', 'La moneda XXX (sin moneda) es la de los comprobantes de pago y traslado.', 'HFX_MONEDA_XXX');
    if (tc !== undefined) add('tipo_cambio', 'Con moneda XXX no se registra tipo de cambio.', 'CFDI40116');
  } else if (moneda.id === 'MXN') {
    if (tc !== undefined && !dec(tc).eq(1)) add('tipo_cambio', 'Con moneda MXN el tipo de cambio se omite o es 1.', 'CFDI40114');
  } else if (tc === undefined) {
    add('tipo_cambio', `El tipo de cambio es obligatorio con moneda ${moneda.id}.`, 'CFDI40115');
  } else if (dec(tc).lte(0)) {
    // cfdv40.xsd: TipoCambio minInclusive 0.000001; the matrix's pattern (CFDI40117) admits 0.
    add('tipo_cambio', 'El tipo de cambio debe ser mayor que cero.', 'HFX_XSD');
  }
}

/** The matrix: the year in course "o … hasta 5 ejercicios anteriores" (CFDI40136). */
const EJERCICIOS_ANTERIORES = 5;

function validarInformacionGlobal(input: FacturaParcial, emisor: Emisor, ctx: ContextoValidacion, p: Problemas) {
  const { add } = p;
  const r = input.receptor;
  const g = input.informacion_global;
  const publicoEnGeneral = r?.rfc === RFC_PUBLICO_EN_GENERAL && r.nombre === NOMBRE_PUBLICO_EN_GENERAL;
  if (!g) {
    if (publicoEnGeneral && ctx.tipo === 'I') {
      add('informacion_global', `Una factura a ${NOMBRE_PUBLICO_EN_GENERAL} (${RFC_PUBLICO_EN_GENERAL}) requiere informacion_global.`, 'CFDI40130');
    }
    return;
  }
  if (!publicoEnGeneral || ctx.tipo !== 'I') {
    p.advertir('informacion_global', `informacion_global es de las facturas de ingreso a ${NOMBRE_PUBLICO_EN_GENERAL} (${RFC_PUBLICO_EN_GENERAL}).`, 'HFX_INFORMACION_GLOBAL_SIN_PUBLICO');
  }
  const periodicidad = g.periodicidad === undefined ? undefined : cat.periodicidad(g.periodicidad, ctx.fecha);
  if (g.periodicidad !== undefined && !periodicidad) add('informacion_global.periodicidad', `${g.periodicidad} no está en el catálogo c_Periodicidad.`, 'CFDI40131');
  else if (periodicidad?.id === '05' && emisor.regimenFiscal !== '621') {
    add('informacion_global.periodicidad', 'La periodicidad 05 (bimestral) solo aplica al régimen 621 (Incorporación Fiscal).', 'CFDI40132');
  }
  const mes = g.meses === undefined ? undefined : cat.mes(g.meses, ctx.fecha);
  if (g.meses !== undefined && !mes) add('informacion_global.meses', `${g.meses} no está en el catálogo c_Meses.`, 'CFDI40133');
  else if (mes && periodicidad?.id === '05' && !(mes.id >= '13' && mes.id <= '18')) {
    add('informacion_global.meses', 'Con periodicidad bimestral los meses deben ser 13 a 18.', 'CFDI40135');
  } else if (mes && periodicidad && periodicidad.id !== '05' && !(mes.id >= '01' && mes.id <= '12')) {
    add('informacion_global.meses', 'Con periodicidad diaria, semanal, quincenal o mensual los meses deben ser 01 a 12.', 'CFDI40134');
  }
  const anio = Number(ctx.fecha.slice(0, 4));
  if (g.año !== undefined && (g.año > anio || g.año < anio - EJERCICIOS_ANTERIORES)) {
    add('informacion_global.año', `El año debe ser el de la fecha del comprobante (${anio}) o uno de los ${EJERCICIOS_ANTERIORES} anteriores.`, 'CFDI40136');
  }
}

function validarRelacionados(input: FacturaParcial, ctx: ContextoValidacion, p: Problemas) {
  // The guía admits an egreso without relation only for a future global discount, with forma de pago 23 (Novación).
  if (ctx.tipo === 'E' && input.cfdi_relacionados?.length === 0 && input.forma_pago !== '23') {
    p.advertir('cfdi_relacionados', 'Una nota de crédito (egreso) relaciona los CFDI a los que aplica (p. ej. tipo_relacion 01), salvo con forma de pago 23.', 'HFX_EGRESO_SIN_RELACION');
  }
  input.cfdi_relacionados?.forEach((rel, n) => {
    if (rel.tipo_relacion !== undefined && !cat.tipoRelacion(rel.tipo_relacion, ctx.fecha)) {
      p.add(`cfdi_relacionados[${n}].tipo_relacion`, `${rel.tipo_relacion} no está en el catálogo c_TipoRelacion.`, 'CFDI40137');
    }
  });
}

function validarUso(input: FacturaParcial, ctx: ContextoValidacion, p: Problemas) {
  const r = input.receptor;
  if (r?.uso_cfdi === undefined) return;
  if (r.rfc === RFC_EXTRANJERO && r.uso_cfdi !== 'S01') {
    p.add('receptor.uso_cfdi', `Con el RFC genérico extranjero ${RFC_EXTRANJERO} el uso de CFDI es S01 (Sin efectos fiscales).`, 'HFX_USO_CFDI_EXTRANJERO');
  }
  // CP01 (Pagos) and CN01 (Nómina) are the uses of tipos P and N.
  if (r.uso_cfdi === 'CP01' || r.uso_cfdi === 'CN01') {
    p.advertir('receptor.uso_cfdi', `El uso de CFDI ${r.uso_cfdi} es de otro tipo de comprobante, no de un ${ctx.tipo === 'I' ? 'ingreso' : 'egreso'}.`, 'HFX_USO_CFDI_TIPO');
  }
}

/**
 * All fiscal rules for the input as far as it parsed, the emisor and the document type: every problem
 * and advertencia found. No problem (and a complete input) means calcular.ts can run safely.
 */
export function validarFactura(input: FacturaParcial, emisor: Emisor, ctx: ContextoValidacion): Problemas {
  const p = new Problemas();
  const { fecha } = ctx;
  validarEmisor(emisor, fecha, p.add);
  if (input.receptor) validarReceptor(input.receptor, emisor, fecha, p.add);
  validarUso(input, ctx, p);
  validarPago(input, fecha, p);
  validarMoneda(input, fecha, p);
  if (input.exportacion !== undefined) {
    if (!cat.exportacion(input.exportacion, fecha)) p.add('exportacion', `${input.exportacion} no está en el catálogo c_Exportacion.`, 'CFDI40123');
    else if (input.exportacion === '02') p.add('exportacion', 'La exportación 02 requiere el complemento de comercio exterior, que no se admite.', 'CFDI40122');
  }
  validarInformacionGlobal(input, emisor, ctx, p);
  validarRelacionados(input, ctx, p);
  validarConceptos(input, emisor, ctx, p);
  if (input.carta_porte) validarFlete(input, emisor, ctx, p);
  return p;
}

/** What the Carta Porte matrix puts on the CFDI de ingreso that carries it (CP104, CP106, CP114), then its own rules. */
function validarFlete(input: FacturaParcial, emisor: Emisor, ctx: ContextoValidacion, p: Problemas) {
  if (ctx.tipo !== 'I') {
    p.add('carta_porte', 'La Carta Porte va en un traslado (T) o en un ingreso (I), no en un egreso.', 'CP114');
    return;
  }
  if (input.moneda === 'XXX') p.add('moneda', 'Un ingreso con Carta Porte no puede tener moneda XXX.', 'CP104');
  input.conceptos?.forEach((c, n) => {
    if (c.objeto_imp !== undefined && !['01', '02', '03', '04', '05'].includes(c.objeto_imp)) {
      p.add(`conceptos[${n}].objeto_imp`, 'Con Carta Porte el objeto de impuesto es 01, 02, 03, 04 o 05.', 'CP106');
    }
  });
  validarCartaPorte(p, input.carta_porte!, { tipo: 'I', fecha: ctx.fecha, emisor, clavesConceptos: (input.conceptos ?? []).map((c) => c.clave_prod_serv) });
}
