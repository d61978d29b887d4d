/**
 * What the SAT computes of a recibo de nómina, with exact decimals (decimal.js, never floats): the totals of
 * percepciones (by kind: sueldos, separación o indemnización, jubilación), deducciones (ISR apart) and otros
 * pagos, and the Nomina node with every amount written as it goes in the XML (t_ImporteMXN, 2 decimals).
 */
import { dec, formatear, type Dec } from '../../decimal';
import type { DeduccionEntrada, Nomina, NominaEntrada, OtroPagoEntrada, PercepcionEntrada } from './modelo';
import { antigüedadEnSemanas, JUBILACION, SEPARACION } from './validar';

const mxn = (d: Dec) => formatear(d, 2);
const suma = (valores: (string | number)[]) => valores.reduce<Dec>((s, v) => s.plus(dec(v)), dec(0));
/** The sum of `lista` written as a total, or undefined (the attribute is omitted) when the list is empty. */
const total = <T>(lista: T[], importe: (x: T) => (string | number)[]) => (lista.length ? mxn(suma(lista.flatMap(importe))) : undefined);
const opcional = (v: string | number | undefined) => (v === undefined ? undefined : mxn(dec(v)));

const gravadoYExento = (p: PercepcionEntrada) => [p.importe_gravado, p.importe_exento];

function percepciones(n: NominaEntrada): Nomina['percepciones'] {
  const lista = n.percepciones;
  if (!lista) return undefined;
  const j = n.jubilacion_pension_retiro;
  const s = n.separacion_indemnizacion;
  return {
    // NOM70–NOM72 and NOM77–NOM79: each total exists exactly when a percepción of its kind does.
    totalSueldos: total(lista.filter((p) => !SEPARACION.has(p.tipo_percepcion) && !JUBILACION.has(p.tipo_percepcion)), gravadoYExento),
    totalSeparacionIndemnizacion: total(lista.filter((p) => SEPARACION.has(p.tipo_percepcion)), gravadoYExento),
    totalJubilacionPensionRetiro: total(lista.filter((p) => JUBILACION.has(p.tipo_percepcion)), gravadoYExento),
    totalGravado: mxn(suma(lista.map((p) => p.importe_gravado))),
    totalExento: mxn(suma(lista.map((p) => p.importe_exento))),
    percepcion: lista.map((p) => ({
      tipoPercepcion: p.tipo_percepcion,
      clave: p.clave,
      concepto: p.concepto,
      importeGravado: mxn(dec(p.importe_gravado)),
      importeExento: mxn(dec(p.importe_exento)),
      accionesOTitulos: p.acciones_o_titulos && {
        valorMercado: formatear(dec(p.acciones_o_titulos.valor_mercado), 6),
        precioAlOtorgarse: formatear(dec(p.acciones_o_titulos.precio_al_otorgarse), 6),
      },
      horasExtra: (p.horas_extra ?? []).map((h) => ({ dias: String(h.dias), tipoHoras: h.tipo_horas, horasExtra: String(h.horas_extra), importePagado: mxn(dec(h.importe_pagado)) })),
    })),
    jubilacionPensionRetiro: j && {
      totalUnaExhibicion: opcional(j.total_una_exhibicion),
      totalParcialidad: opcional(j.total_parcialidad),
      montoDiario: opcional(j.monto_diario),
      ingresoAcumulable: mxn(dec(j.ingreso_acumulable)),
      ingresoNoAcumulable: mxn(dec(j.ingreso_no_acumulable)),
    },
    separacionIndemnizacion: s && {
      totalPagado: mxn(dec(s.total_pagado)),
      numAñosServicio: String(s.num_años_servicio),
      ultimoSueldoMensOrd: mxn(dec(s.ultimo_sueldo_mens_ord)),
      ingresoAcumulable: mxn(dec(s.ingreso_acumulable)),
      ingresoNoAcumulable: mxn(dec(s.ingreso_no_acumulable)),
    },
  };
}

function deducciones(lista: DeduccionEntrada[] | undefined): Nomina['deducciones'] {
  if (!lista) return undefined;
  const importe = (d: DeduccionEntrada) => [d.importe];
  return {
    // NOM91/NOM92: TotalImpuestosRetenidos is the ISR (002), present only when there is some.
    totalOtrasDeducciones: total(lista.filter((d) => d.tipo_deduccion !== '002'), importe),
    totalImpuestosRetenidos: total(lista.filter((d) => d.tipo_deduccion === '002'), importe),
    deduccion: lista.map((d) => ({ tipoDeduccion: d.tipo_deduccion, clave: d.clave, concepto: d.concepto, importe: mxn(dec(d.importe)) })),
  };
}

const otroPago = (o: OtroPagoEntrada): NonNullable<Nomina['otrosPagos']>[number] => ({
  tipoOtroPago: o.tipo_otro_pago,
  clave: o.clave,
  concepto: o.concepto,
  importe: mxn(dec(o.importe)),
  subsidioAlEmpleo: o.subsidio_al_empleo && { subsidioCausado: mxn(dec(o.subsidio_al_empleo.subsidio_causado)) },
  compensacionSaldosAFavor: o.compensacion_saldos_a_favor && {
    saldoAFavor: mxn(dec(o.compensacion_saldos_a_favor.saldo_a_favor)),
    año: String(o.compensacion_saldos_a_favor.año),
    remanenteSalFav: mxn(dec(o.compensacion_saldos_a_favor.remanente_sal_fav)),
  },
});

/** NumDiasPagados as nomina12.xsd writes it: an integer, or exactly three decimals. */
const diasPagados = (v: string | number) => {
  const d = dec(v);
  return d.isInteger() ? d.toFixed(0) : d.toFixed(3);
};

/** The Nomina node of a validated input. */
export function calcularNomina(n: NominaEntrada): Nomina {
  const p = percepciones(n);
  const d = deducciones(n.deducciones);
  const r = n.receptor;
  const e = n.emisor;
  return {
    version: '1.2',
    tipoNomina: n.tipo_nomina,
    fechaPago: n.fecha_pago,
    fechaInicialPago: n.fecha_inicial_pago,
    fechaFinalPago: n.fecha_final_pago,
    numDiasPagados: diasPagados(n.num_dias_pagados),
    // NOM36–NOM40: each total exists exactly when its node does, and is the sum of its parts.
    totalPercepciones: p && mxn(suma([p.totalSueldos ?? 0, p.totalSeparacionIndemnizacion ?? 0, p.totalJubilacionPensionRetiro ?? 0])),
    totalDeducciones: d && mxn(suma([d.totalOtrasDeducciones ?? 0, d.totalImpuestosRetenidos ?? 0])),
    totalOtrosPagos: n.otros_pagos && mxn(suma(n.otros_pagos.map((o) => o.importe))),
    emisor: e && {
      curp: e.curp,
      registroPatronal: e.registro_patronal,
      rfcPatronOrigen: e.rfc_patron_origen,
      entidadSNCF: e.entidad_sncf && { origenRecurso: e.entidad_sncf.origen_recurso, montoRecursoPropio: opcional(e.entidad_sncf.monto_recurso_propio) },
    },
    receptor: {
      curp: r.curp,
      numSeguridadSocial: r.num_seguridad_social,
      fechaInicioRelLaboral: r.fecha_inicio_rel_laboral,
      antigüedad: r.antigüedad ?? (r.fecha_inicio_rel_laboral && antigüedadEnSemanas(r.fecha_inicio_rel_laboral, n.fecha_final_pago)),
      tipoContrato: r.tipo_contrato,
      sindicalizado: r.sindicalizado === undefined ? undefined : r.sindicalizado ? 'Sí' : 'No',
      tipoJornada: r.tipo_jornada,
      tipoRegimen: r.tipo_regimen,
      numEmpleado: r.num_empleado,
      departamento: r.departamento,
      puesto: r.puesto,
      riesgoPuesto: r.riesgo_puesto,
      periodicidadPago: r.periodicidad_pago,
      banco: r.banco,
      cuentaBancaria: r.cuenta_bancaria,
      salarioBaseCotApor: opcional(r.salario_base_cot_apor),
      salarioDiarioIntegrado: opcional(r.salario_diario_integrado),
      claveEntFed: r.clave_ent_fed,
      subContratacion: (r.subcontratacion ?? []).map((s) => ({ rfcLabora: s.rfc_labora, porcentajeTiempo: dec(s.porcentaje_tiempo).toString() })),
    },
    percepciones: p,
    deducciones: d,
    otrosPagos: n.otros_pagos?.map(otroPago),
    incapacidades: n.incapacidades?.map((i) => ({ diasIncapacidad: String(i.dias_incapacidad), tipoIncapacidad: i.tipo_incapacidad, importeMonetario: opcional(i.importe_monetario) })),
  };
}

/** The Comprobante's amounts for tipo N (NOM20–NOM22): ValorUnitario = Importe = SubTotal = percepciones + otros pagos, Descuento = deducciones. */
export function importesComprobante(nomina: Nomina): { importe: string; descuento?: string; total: string } {
  const importe = suma([nomina.totalPercepciones ?? 0, nomina.totalOtrosPagos ?? 0]);
  const descuento = nomina.totalDeducciones;
  return { importe: mxn(importe), descuento, total: mxn(importe.minus(dec(descuento ?? 0))) };
}
