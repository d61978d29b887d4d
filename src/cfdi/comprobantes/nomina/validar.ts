/**
 * The rules of the SAT's matriz de errores for Nómina 1.2 revisión D (NOMxx codes) that can be checked
 * before stamping: catalog keys, what a tipo de contrato, régimen or percepción requires or forbids, dates,
 * the bank account, the subsidio para el empleo and the amounts that must match. Each rule is applied on
 * its own, as the matrix states it, over the fields that parsed (a field that failed its shape is absent and
 * its rules are skipped), so one input reports every rule it breaks. The totals are calcular.ts's: HexaFac
 * computes them, so they cannot disagree (reglas-nom12.ts says which rule each one satisfies).
 */
import { vigente } from '../../catalogs';
import type { Emisor } from '../../comprobante';
import { dec, type Dec } from '../../decimal';
import { personaDeRfc } from '../../rfc';
import type { Add } from '../../validar';
import * as cat from './catalogos.generated';
import type { NominaParcial } from './modelo';

type Fila = { id: string; desde?: string; hasta?: string };
/** Whether `id` is a clave of `catalogo` in force on `fecha` (a catalog without vigencia: any of its claves). */
const enCatalogo = (catalogo: readonly (Fila | string)[], id: string, fecha: string) =>
  catalogo.some((f) => (typeof f === 'string' ? f === id : f.id === id && vigente(f, fecha)));

/** TipoPercepcion claves that count in TotalSeparacionIndemnizacion and in TotalJubilacionPensionRetiro (NOM70–NOM72). */
export const SEPARACION = new Set(['022', '023', '025']);
export const JUBILACION = new Set(['039', '044']);
const CONTRATO_LABORAL = new Set(['01', '02', '03', '04', '05', '06', '07', '08']);
const REGIMEN_LABORAL = new Set(['02', '03', '04']);

// NOM101 and NOM108 (revisión D, the subsidio para el empleo from 2024 on): at most 475.00 in a period of up
// to 31 days, and 15.63 a day in a longer one.
const SUBSIDIO_MENSUAL = dec('475.00');
const SUBSIDIO_DIARIO = dec('15.63');

const suma = (valores: (string | number | undefined)[]): Dec => valores.reduce<Dec>((s, v) => (v === undefined ? s : s.plus(dec(v))), dec(0));
const dias = (desde: string, hasta: string) => (Date.parse(`${hasta}T00:00:00Z`) - Date.parse(`${desde}T00:00:00Z`)) / 86_400_000;
const masUnDia = (fecha: string) => new Date(Date.parse(`${fecha}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const SEMANAS = /^P(([1-9][0-9]{0,3})|0)W$/;
const AÑOS_MESES_DIAS = /^P(?:([1-9][0-9]?)Y)?(?:([1-9]|1[012])M)?(0|[1-9]|[12][0-9]|3[01])D$/;

/** The Antigüedad HexaFac writes when none is given: whole weeks from the start to FechaFinalPago, both days counted (the most NOM54 allows). */
export const antigüedadEnSemanas = (inicio: string, final: string) => `P${Math.floor((dias(inicio, final) + 1) / 7)}W`;

/**
 * Antigüedad against the period (NOM54 in weeks, NOM55 in years, months and days of the calendar). The guía
 * counts a month started on the 1st as P31D (March) and as one month alike, so a span is accepted when it ends on
 * FechaFinalPago or the day after it (both days counted).
 */
function validarAntigüedad(valor: string, inicio: string, final: string, add: Add): void {
  const ruta = 'receptor.antigüedad';
  const semanas = SEMANAS.exec(valor);
  if (semanas) {
    if (Number(semanas[1]) * 7 > dias(inicio, final) + 1) {
      add(ruta, `${valor} excede las semanas transcurridas entre ${inicio} y ${final} (más un día, entre siete).`, 'NOM54');
    }
    return;
  }
  const amd = AÑOS_MESES_DIAS.exec(valor);
  if (!amd) {
    add(ruta, 'Debe tener la forma PnW (semanas) o PnYnMnD (años, meses y días).', 'HFX_FORMATO');
    return;
  }
  const [y, m, d] = inicio.split('-').map(Number);
  const fin = new Date(Date.UTC(y! + Number(amd[1] ?? 0), m! - 1 + Number(amd[2] ?? 0), d! + Number(amd[3]))).toISOString().slice(0, 10);
  if (fin !== final && fin !== masUnDia(final)) {
    add(ruta, `${valor} no son los años, meses y días transcurridos entre ${inicio} y ${final}.`, 'NOM55');
  }
}

/** The CLABE's control digit: weights 3, 7, 1 over the first 17 digits, each product mod 10 (Banco de México). */
export function digitoClabe(clabe17: string): number {
  const pesos = [3, 7, 1];
  const s = [...clabe17].reduce((acc, c, i) => acc + ((Number(c) * pesos[i % 3]!) % 10), 0);
  return (10 - (s % 10)) % 10;
}

/** Every NOM rule over the input as far as it parsed; `fecha` is the comprobante's (the catalogs' vigencia). */
export function validarNomina(n: NominaParcial, emisor: Emisor, fecha: string, add: Add): void {
  validarPeriodo(n, fecha, add);
  validarEmisorNomina(n, emisor, fecha, add);
  validarReceptorNomina(n, fecha, add);
  validarPercepciones(n, fecha, add);
  validarDeducciones(n, fecha, add);
  validarOtrosPagos(n, fecha, add);
  n.incapacidades?.forEach((inc, i) => {
    if (inc.tipo_incapacidad !== undefined && !enCatalogo(cat.tiposIncapacidad, inc.tipo_incapacidad, fecha)) {
      add(`incapacidades[${i}].tipo_incapacidad`, `${inc.tipo_incapacidad} no es una clave de c_TipoIncapacidad.`, 'NOM104');
    }
  });
}

function validarPeriodo(n: NominaParcial, fecha: string, add: Add): void {
  if (n.percepciones === undefined && n.otros_pagos === undefined) {
    add('percepciones', 'Un recibo de nómina lleva percepciones, otros pagos o ambos.', 'NOM31');
  }
  if (n.tipo_nomina !== undefined && !enCatalogo(cat.tiposNomina, n.tipo_nomina, fecha)) {
    add('tipo_nomina', `${n.tipo_nomina} no es una clave de c_TipoNomina (O ordinaria, E extraordinaria).`, 'NOM32');
  }
  const periodicidad = n.receptor?.periodicidad_pago;
  if (n.tipo_nomina === 'O' && periodicidad === '99') add('receptor.periodicidad_pago', 'Una nómina ordinaria no tiene periodicidad 99.', 'NOM33');
  if (n.tipo_nomina === 'E' && periodicidad !== undefined && periodicidad !== '99') {
    add('receptor.periodicidad_pago', 'Una nómina extraordinaria tiene periodicidad 99 (Otra periodicidad).', 'NOM34');
  }
  if (n.fecha_inicial_pago !== undefined && n.fecha_final_pago !== undefined && n.fecha_inicial_pago > n.fecha_final_pago) {
    add('fecha_inicial_pago', `La fecha inicial de pago es posterior a la final (${n.fecha_final_pago}).`, 'NOM35');
  }
}

function validarEmisorNomina(n: NominaParcial, emisor: Emisor, fecha: string, add: Add): void {
  const e = n.emisor;
  if (personaDeRfc(emisor.rfc) === 'moral' && e?.curp !== undefined) add('emisor.curp', 'Un emisor persona moral no lleva CURP.', 'NOM5');
  if (personaDeRfc(emisor.rfc) === 'fisica' && e?.curp === undefined) {
    add('emisor.curp', 'Un emisor persona física registra su CURP.', 'NOM6');
  }
  const contrato = n.receptor?.tipo_contrato;
  if (contrato !== undefined && CONTRATO_LABORAL.has(contrato) && e?.registro_patronal === undefined) {
    add('emisor.registro_patronal', `Con el tipo de contrato ${contrato} se registra el registro patronal.`, 'NOM42');
  }
  if (contrato !== undefined && ['09', '10', '99'].includes(contrato) && e?.registro_patronal !== undefined) {
    add('emisor.registro_patronal', `Con el tipo de contrato ${contrato} no se registra el registro patronal.`, 'NOM43');
  }
  if (e?.registro_patronal !== undefined && n.receptor) {
    const r = n.receptor;
    const requeridos = { num_seguridad_social: r.num_seguridad_social, fecha_inicio_rel_laboral: r.fecha_inicio_rel_laboral, riesgo_puesto: r.riesgo_puesto, salario_diario_integrado: r.salario_diario_integrado };
    for (const [campo, valor] of Object.entries(requeridos)) {
      if (valor === undefined) add(`receptor.${campo}`, 'Obligatorio cuando el emisor registra su registro patronal.', 'NOM44');
    }
  }
  const sncf = e?.entidad_sncf;
  if (sncf?.origen_recurso !== undefined) {
    if (!enCatalogo(cat.origenesRecursos, sncf.origen_recurso, fecha)) {
      add('emisor.entidad_sncf.origen_recurso', `${sncf.origen_recurso} no es una clave de c_OrigenRecurso.`, 'NOM47');
    } else if (sncf.origen_recurso === 'IM' && sncf.monto_recurso_propio === undefined) {
      add('emisor.entidad_sncf.monto_recurso_propio', 'Obligatorio con ingresos mixtos (IM).', 'NOM48');
    } else if (sncf.origen_recurso !== 'IM' && sncf.monto_recurso_propio !== undefined) {
      add('emisor.entidad_sncf.monto_recurso_propio', 'Solo se registra con ingresos mixtos (IM).', 'NOM49');
    }
  }
  if (sncf?.monto_recurso_propio !== undefined) {
    const pagado = suma([...(n.percepciones ?? []).flatMap((p) => [p.importe_gravado, p.importe_exento]), ...(n.otros_pagos ?? []).map((o) => o.importe)]);
    if (dec(sncf.monto_recurso_propio).gte(pagado)) {
      add('emisor.entidad_sncf.monto_recurso_propio', `Debe ser menor que las percepciones más los otros pagos (${pagado.toFixed(2)}).`, 'NOM50');
    }
  }
}

function validarReceptorNomina(n: NominaParcial, fecha: string, add: Add): void {
  const r = n.receptor;
  if (!r) return;
  if (r.rfc !== undefined && r.rfc.length !== 13) add('receptor.rfc', 'El trabajador es una persona física: su RFC tiene 13 caracteres.', 'NOM8');
  if (r.regimen_fiscal !== undefined && r.regimen_fiscal !== '605') {
    add('receptor.regimen_fiscal', 'El régimen fiscal del trabajador es 605 (Sueldos y Salarios), aun con XAXX010101000.', 'NOM11');
  }
  if (r.uso_cfdi !== undefined && r.uso_cfdi !== 'CN01') add('receptor.uso_cfdi', 'El uso de CFDI de un recibo de nómina es CN01.', 'NOM12');
  const catalogos = [
    ['tipo_contrato', cat.tiposContrato, 'c_TipoContrato', 'NOM51'],
    ['tipo_jornada', cat.tiposJornada, 'c_TipoJornada', 'NOM52'],
    ['tipo_regimen', cat.tiposRegimen, 'c_TipoRegimen', 'NOM56'],
    ['riesgo_puesto', cat.riesgosPuesto, 'c_RiesgoPuesto', 'NOM59'],
    ['periodicidad_pago', cat.periodicidadesPago, 'c_PeriodicidadPago', 'NOM60'],
    ['banco', cat.bancos, 'c_Banco', 'NOM61'],
    ['clave_ent_fed', cat.estados, 'c_Estado (MEX)', 'NOM66'],
  ] as const;
  for (const [campo, catalogo, nombre, codigo] of catalogos) {
    const valor = r[campo];
    if (valor !== undefined && !enCatalogo(catalogo, valor, fecha)) add(`receptor.${campo}`, `${valor} no es una clave de ${nombre}.`, codigo);
  }
  const final = n.fecha_final_pago;
  if (r.fecha_inicio_rel_laboral !== undefined && final !== undefined) {
    if (r.fecha_inicio_rel_laboral > final) add('receptor.fecha_inicio_rel_laboral', `Es posterior a la fecha final de pago (${final}).`, 'NOM53');
    else if (r.antigüedad !== undefined) validarAntigüedad(r.antigüedad, r.fecha_inicio_rel_laboral, final, add);
  }
  if (r.tipo_contrato !== undefined && r.tipo_regimen !== undefined) {
    if (CONTRATO_LABORAL.has(r.tipo_contrato) && !REGIMEN_LABORAL.has(r.tipo_regimen)) {
      add('receptor.tipo_regimen', `Con el tipo de contrato ${r.tipo_contrato} el tipo de régimen es 02, 03 o 04.`, 'NOM57');
    }
    if (!CONTRATO_LABORAL.has(r.tipo_contrato) && REGIMEN_LABORAL.has(r.tipo_regimen)) {
      add('receptor.tipo_regimen', `Con el tipo de contrato ${r.tipo_contrato} el tipo de régimen va de 05 a 99.`, 'NOM58');
    }
  }
  const cuenta = r.cuenta_bancaria;
  if (cuenta !== undefined) {
    if (![10, 11, 16, 18].includes(cuenta.length)) add('receptor.cuenta_bancaria', 'Debe tener 10, 11, 16 o 18 dígitos.', 'NOM62');
    if (cuenta.length === 18 && r.banco !== undefined) add('receptor.banco', 'Con una CLABE (18 dígitos) no se registra el banco.', 'NOM63');
    if (cuenta.length === 18 && digitoClabe(cuenta.slice(0, 17)) !== Number(cuenta[17])) {
      add('receptor.cuenta_bancaria', 'El dígito de control de la CLABE no es correcto.', 'NOM64');
    }
    if ([10, 11, 16].includes(cuenta.length) && r.banco === undefined) {
      add('receptor.banco', 'Con una cuenta de 10, 11 o 16 dígitos se registra el banco.', 'NOM65');
    }
  }
  const sub = r.subcontratacion;
  if (sub && sub.every((s) => s.porcentaje_tiempo !== undefined) && !suma(sub.map((s) => s.porcentaje_tiempo)).eq(100)) {
    add('receptor.subcontratacion', 'La suma de porcentaje_tiempo debe ser 100.', 'NOM68');
  }
}

function validarPercepciones(n: NominaParcial, fecha: string, add: Add): void {
  const percepciones = n.percepciones ?? [];
  const tipos = percepciones.map((p) => p.tipo_percepcion);
  const monetario = suma((n.incapacidades ?? []).map((i) => i.importe_monetario));
  percepciones.forEach((p, i) => {
    const ruta = `percepciones[${i}]`;
    if (p.importe_gravado !== undefined && p.importe_exento !== undefined && suma([p.importe_gravado, p.importe_exento]).lte(0)) {
      add(`${ruta}.importe_gravado`, 'El importe gravado más el exento debe ser mayor que cero.', 'NOM75');
    }
    const tipo = p.tipo_percepcion;
    if (tipo === undefined) return;
    if (!enCatalogo(cat.tiposPercepcion, tipo, fecha)) add(`${ruta}.tipo_percepcion`, `${tipo} no es una clave de c_TipoPercepcion.`, 'NOM76');
    if (tipo === '045' && p.acciones_o_titulos === undefined) add(`${ruta}.acciones_o_titulos`, 'La percepción 045 registra las acciones o títulos.', 'NOM82');
    if (tipo !== '045' && p.acciones_o_titulos !== undefined) add(`${ruta}.acciones_o_titulos`, 'Solo la percepción 045 registra acciones o títulos.', 'NOM83');
    if (tipo === '019' && p.horas_extra === undefined) add(`${ruta}.horas_extra`, 'La percepción 019 registra sus horas extra.', 'NOM84');
    if (tipo !== '019' && p.horas_extra !== undefined) add(`${ruta}.horas_extra`, 'Solo la percepción 019 registra horas extra.', 'NOM85');
    p.horas_extra?.forEach((h, j) => {
      if (h.tipo_horas !== undefined && !enCatalogo(cat.tiposHoras, h.tipo_horas, fecha)) {
        add(`${ruta}.horas_extra[${j}].tipo_horas`, `${h.tipo_horas} no es una clave de c_TipoHoras.`, 'NOM88');
      }
    });
    if (tipo === '014' && n.incapacidades !== undefined && p.importe_gravado !== undefined && p.importe_exento !== undefined) {
      const importe = suma([p.importe_gravado, p.importe_exento]);
      if (!monetario.eq(importe)) add(ruta, `Los importes monetarios de las incapacidades (${monetario.toFixed(2)}) deben sumar lo de la percepción 014 (${importe.toFixed(2)}).`, 'NOM87');
    }
  });
  if (tipos.includes('014') && n.incapacidades === undefined) add('incapacidades', 'La percepción 014 (subsidios por incapacidad) registra las incapacidades.', 'NOM86');

  const separacion = tipos.some((t) => t !== undefined && SEPARACION.has(t));
  if (separacion && n.separacion_indemnizacion === undefined) {
    add('separacion_indemnizacion', 'Las percepciones 022, 023 o 025 registran la separación o indemnización.', 'NOM78');
  } else if (!separacion && n.separacion_indemnizacion !== undefined && tipos.every((t) => t !== undefined)) {
    add('separacion_indemnizacion', 'Solo se registra con las percepciones 022, 023 o 025.', 'NOM78');
  }
  const jubilacion = tipos.some((t) => t !== undefined && JUBILACION.has(t));
  const j = n.jubilacion_pension_retiro;
  if (jubilacion && j === undefined) {
    add('jubilacion_pension_retiro', 'Las percepciones 039 o 044 registran la jubilación, pensión o retiro.', 'NOM79');
  } else if (!jubilacion && j !== undefined && tipos.every((t) => t !== undefined)) {
    add('jubilacion_pension_retiro', 'Solo se registra con las percepciones 039 o 044.', 'NOM79');
  }
  if (!j) return;
  const ruta = 'jubilacion_pension_retiro';
  if (tipos.includes('039') && (j.total_una_exhibicion === undefined || j.total_parcialidad !== undefined || j.monto_diario !== undefined)) {
    add(ruta, 'Con la percepción 039 se registra total_una_exhibicion, sin total_parcialidad ni monto_diario.', 'NOM80');
  }
  if (tipos.includes('044') && (j.total_una_exhibicion !== undefined || j.total_parcialidad === undefined || j.monto_diario === undefined)) {
    add(ruta, 'Con la percepción 044 se registran total_parcialidad y monto_diario, sin total_una_exhibicion.', 'NOM81');
  }
  if (j.total_una_exhibicion !== undefined && (j.total_parcialidad !== undefined || j.monto_diario !== undefined)) {
    add(ruta, 'Con total_una_exhibicion no se registran total_parcialidad ni monto_diario.', 'NOM89');
  }
  if (j.total_parcialidad !== undefined && (j.monto_diario === undefined || j.total_una_exhibicion !== undefined)) {
    add(ruta, 'Con total_parcialidad se registra monto_diario y no total_una_exhibicion.', 'NOM90');
  }
}

function validarDeducciones(n: NominaParcial, fecha: string, add: Add): void {
  const monetario = suma((n.incapacidades ?? []).map((i) => i.importe_monetario));
  n.deducciones?.forEach((d, i) => {
    const ruta = `deducciones[${i}]`;
    if (d.importe !== undefined && dec(d.importe).lte(0)) add(`${ruta}.importe`, 'Debe ser mayor que cero.', 'NOM96');
    if (d.tipo_deduccion === undefined) return;
    if (!enCatalogo(cat.tiposDeduccion, d.tipo_deduccion, fecha)) add(`${ruta}.tipo_deduccion`, `${d.tipo_deduccion} no es una clave de c_TipoDeduccion.`, 'NOM93');
    if (d.tipo_deduccion !== '006') return;
    if (n.incapacidades === undefined) add('incapacidades', 'La deducción 006 (descuento por incapacidad) registra las incapacidades.', 'NOM94');
    else if (n.incapacidades && d.importe !== undefined && !dec(d.importe).eq(monetario)) {
      add(`${ruta}.importe`, `Debe ser la suma de los importes monetarios de las incapacidades (${monetario.toFixed(2)}).`, 'NOM95');
    }
  });
}

function validarOtrosPagos(n: NominaParcial, fecha: string, add: Add): void {
  const otros = n.otros_pagos ?? [];
  const regimen = n.receptor?.tipo_regimen;
  const tipos = otros.map((o) => o.tipo_otro_pago);
  if (regimen === '02' && tipos.every((t) => t !== undefined) && !tipos.includes('002') && !tipos.includes('007') && !tipos.includes('008')) {
    add('otros_pagos', 'Con el tipo de régimen 02 se registra el otro pago 002 (subsidio para el empleo, aunque sea 0.00), salvo con 007 u 008.', 'NOM105');
  }
  const diasPagados = n.num_dias_pagados === undefined ? undefined : dec(n.num_dias_pagados);
  const año = n.fecha_pago === undefined ? undefined : Number(n.fecha_pago.slice(0, 4));
  otros.forEach((o, i) => {
    const ruta = `otros_pagos[${i}]`;
    const tipo = o.tipo_otro_pago;
    if (tipo !== undefined && !enCatalogo(cat.tiposOtroPago, tipo, fecha)) add(`${ruta}.tipo_otro_pago`, `${tipo} no es una clave de c_TipoOtroPago.`, 'NOM97');
    if (tipo === '004' && o.compensacion_saldos_a_favor === undefined) {
      add(`${ruta}.compensacion_saldos_a_favor`, 'El otro pago 004 registra la compensación de saldos a favor.', 'NOM98');
    }
    if (tipo === '002' && o.subsidio_al_empleo === undefined) {
      add(`${ruta}.subsidio_al_empleo`, 'El otro pago 002 registra el subsidio causado.', 'NOM99');
    }
    if (tipo !== undefined && tipo !== '002' && o.importe !== undefined && dec(o.importe).lte(0)) add(`${ruta}.importe`, 'Debe ser mayor que cero.', 'NOM100');
    if (tipo !== undefined && regimen !== undefined && regimen !== '02' && ['002', '007', '008'].includes(tipo)) {
      add(`${ruta}.tipo_otro_pago`, `Los otros pagos 002, 007 y 008 son del tipo de régimen 02, no del ${regimen}.`, 'NOM106');
    }
    const causado = o.subsidio_al_empleo?.subsidio_causado;
    if (causado !== undefined && diasPagados !== undefined) {
      if (diasPagados.lte(31) && dec(causado).gt(SUBSIDIO_MENSUAL)) {
        add(`${ruta}.subsidio_al_empleo.subsidio_causado`, `Con hasta 31 días pagados el subsidio causado no pasa de ${SUBSIDIO_MENSUAL.toFixed(2)}.`, 'NOM101');
      }
      if (diasPagados.gt(31) && dec(causado).gt(SUBSIDIO_DIARIO.times(diasPagados))) {
        add(`${ruta}.subsidio_al_empleo.subsidio_causado`, `No pasa de ${SUBSIDIO_DIARIO.toFixed(2)} × ${diasPagados.toString()} días pagados.`, 'NOM108');
      }
    }
    if (tipo === '002' && causado !== undefined && o.importe !== undefined && dec(o.importe).gt(dec(causado))) {
      add(`${ruta}.importe`, `El subsidio entregado no puede exceder el causado (${causado}).`, 'NOM107');
    }
    const c = o.compensacion_saldos_a_favor;
    if (c?.saldo_a_favor !== undefined && c.remanente_sal_fav !== undefined && dec(c.saldo_a_favor).lt(dec(c.remanente_sal_fav))) {
      add(`${ruta}.compensacion_saldos_a_favor.remanente_sal_fav`, 'El remanente no puede exceder el saldo a favor.', 'NOM102');
    }
    if (c?.año !== undefined && año !== undefined && c.año !== año - 1 && !(c.año === año && n.fecha_pago!.slice(5, 7) === '12')) {
      add(`${ruta}.compensacion_saldos_a_favor.año`, `Es el año anterior al de la fecha de pago (${año - 1}), o el mismo si se paga en diciembre.`, 'NOM103');
    }
  });
}
