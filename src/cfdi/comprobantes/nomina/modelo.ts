/**
 * Complemento de Nómina 1.2 (revisión D): the JSON input of a CFDI tipo N (its shape only; the rules are
 * validar.ts's, the OpenAPI text the routes') and the computed complement, named as in nomina12.xsd
 * (camelCased); amounts are decimal strings as written in the XML.
 */
import { z } from 'zod';
import { clave, decimal, objeto, patron, ReceptorEntradaSchema, texto, type Parcial } from '../../entrada';
import { dec } from '../../decimal';
import { RFC_XSD } from '../../rfc';
import { FacturaEntradaSchema } from '../ingreso-egreso';

// tdCFDI.xsd's t_CURP and t_Fecha; t_ImporteMXN is decimal(2).
const CURP = /^[A-Z][AEIOUX][A-Z]{2}[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])[MHX]([ABCMTZ]S|[BCJMOT]C|[CNPST]L|[GNQ]T|[GQS]R|C[MH]|[MY]N|[DH]G|NE|VZ|DF|SP)[BCDFGHJ-NP-TV-Z]{3}[0-9A-Z][0-9]$/;
const curp = () => patron(CURP, 'CURP inválida');
const FECHA = /^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// xs:date: the pattern lets 2026-02-30 through, the PAC's schema does not (a refusal after the folio is taken)
const fecha = () => patron(FECHA, 'Debe ser una fecha AAAA-MM-DD').refine((s) => !FECHA.test(s) || z.iso.date().safeParse(s).success, 'No es una fecha del calendario');
const importe = () => decimal(2);
// tdCFDI.xsd t_RFC (the format only: l_RFC, which the PAC checks, says whether it exists).
const rfc = () => patron(RFC_XSD.ordenante, 'RFC inválido');
// Clave of a percepción, deducción or otro pago: the employer's own, [^|]{3,15}.
const claveInterna = () => texto(15).refine((s) => [...s].length >= 3, 'Admite de 3 a 15 caracteres.');
const entero = (min: number) => z.number().int().min(min);

const HorasExtraEntradaSchema = objeto({ dias: entero(1), tipo_horas: clave(), horas_extra: entero(1), importe_pagado: importe() });

const PercepcionEntradaSchema = objeto({
  tipo_percepcion: clave(),
  clave: claveInterna(),
  concepto: texto(100),
  importe_gravado: importe(),
  importe_exento: importe(),
  acciones_o_titulos: objeto({ valor_mercado: decimal(6), precio_al_otorgarse: decimal(6) }).optional(),
  horas_extra: z.array(HorasExtraEntradaSchema).min(1).optional(),
});

const DeduccionEntradaSchema = objeto({ tipo_deduccion: clave(), clave: claveInterna(), concepto: texto(100), importe: importe() });

const OtroPagoEntradaSchema = objeto({
  tipo_otro_pago: clave(),
  clave: claveInterna(),
  concepto: texto(100),
  importe: importe(),
  subsidio_al_empleo: objeto({ subsidio_causado: importe() }).optional(),
  compensacion_saldos_a_favor: objeto({ saldo_a_favor: importe(), año: entero(2016).max(32767), remanente_sal_fav: importe() }).optional(),
});

const IncapacidadEntradaSchema = objeto({ dias_incapacidad: entero(1), tipo_incapacidad: clave(), importe_monetario: importe().optional() });

/** The employee: the CFDI's Receptor (régimen 605 and uso CN01 by default) and nomina12:Receptor together. */
const ReceptorNominaEntradaSchema = objeto({
  ...ReceptorEntradaSchema.pick({ rfc: true, nombre: true, domicilio_fiscal: true }).shape,
  regimen_fiscal: clave().default('605'),
  uso_cfdi: clave().default('CN01'),
  curp: curp(),
  num_seguridad_social: patron(/^[0-9]{1,15}$/, 'Debe tener de 1 a 15 dígitos').optional(),
  fecha_inicio_rel_laboral: fecha().optional(),
  // Given as the SAT writes it (P110W, P10Y8M15D) or computed from fecha_inicio_rel_laboral (in weeks).
  antigüedad: clave().optional(),
  tipo_contrato: clave(),
  sindicalizado: z.boolean().optional(),
  tipo_jornada: clave().optional(),
  tipo_regimen: clave(),
  num_empleado: texto(15),
  departamento: texto(100).optional(),
  puesto: texto(100).optional(),
  riesgo_puesto: clave().optional(),
  periodicidad_pago: clave(),
  banco: clave().optional(),
  cuenta_bancaria: patron(/^[0-9]{10,18}$/, 'Debe tener de 10 a 18 dígitos').optional(),
  salario_base_cot_apor: importe().optional(),
  salario_diario_integrado: importe().optional(),
  clave_ent_fed: clave(),
  subcontratacion: z.array(objeto({ rfc_labora: rfc(), porcentaje_tiempo: decimal(3) })).min(1).optional(),
});

export const NominaEntradaSchema = objeto({
  ...FacturaEntradaSchema.pick({ serie: true, folio: true, fecha: true }).shape,
  tipo_nomina: clave(),
  fecha_pago: fecha(),
  fecha_inicial_pago: fecha(),
  fecha_final_pago: fecha(),
  // nomina12.xsd: from 0.001 to 36160.000 days
  num_dias_pagados: decimal(3).refine((v) => !/^\d+(\.\d+)?$/.test(String(v)) || (dec(v).gte('0.001') && dec(v).lte(36160)), 'Admite de 0.001 a 36160 días.'),
  emisor: objeto({
    curp: curp().optional(),
    registro_patronal: texto(20).optional(),
    rfc_patron_origen: rfc().optional(),
    entidad_sncf: objeto({ origen_recurso: clave(), monto_recurso_propio: importe().optional() }).optional(),
  }).optional(),
  receptor: ReceptorNominaEntradaSchema,
  percepciones: z.array(PercepcionEntradaSchema).min(1).optional(),
  jubilacion_pension_retiro: objeto({
    total_una_exhibicion: importe().optional(),
    total_parcialidad: importe().optional(),
    monto_diario: importe().optional(),
    ingreso_acumulable: importe(),
    ingreso_no_acumulable: importe(),
  }).optional(),
  separacion_indemnizacion: objeto({
    total_pagado: importe(),
    num_años_servicio: entero(0),
    ultimo_sueldo_mens_ord: importe(),
    ingreso_acumulable: importe(),
    ingreso_no_acumulable: importe(),
  }).optional(),
  deducciones: z.array(DeduccionEntradaSchema).min(1).optional(),
  otros_pagos: z.array(OtroPagoEntradaSchema).min(1).optional(),
  incapacidades: z.array(IncapacidadEntradaSchema).min(1).optional(),
});

export type NominaEntrada = z.infer<typeof NominaEntradaSchema>;
export type PercepcionEntrada = z.infer<typeof PercepcionEntradaSchema>;
export type DeduccionEntrada = z.infer<typeof DeduccionEntradaSchema>;
export type OtroPagoEntrada = z.infer<typeof OtroPagoEntradaSchema>;
/** The input as far as it parsed: what the rules run over when a field failed its shape. */
export type NominaParcial = Parcial<NominaEntrada>;

export interface Percepcion {
  tipoPercepcion: string;
  clave: string;
  concepto: string;
  importeGravado: string;
  importeExento: string;
  accionesOTitulos?: { valorMercado: string; precioAlOtorgarse: string };
  horasExtra: { dias: string; tipoHoras: string; horasExtra: string; importePagado: string }[];
}
export interface Percepciones {
  totalSueldos?: string;
  totalSeparacionIndemnizacion?: string;
  totalJubilacionPensionRetiro?: string;
  totalGravado: string;
  totalExento: string;
  percepcion: Percepcion[];
  jubilacionPensionRetiro?: { totalUnaExhibicion?: string; totalParcialidad?: string; montoDiario?: string; ingresoAcumulable: string; ingresoNoAcumulable: string };
  separacionIndemnizacion?: { totalPagado: string; numAñosServicio: string; ultimoSueldoMensOrd: string; ingresoAcumulable: string; ingresoNoAcumulable: string };
}
export interface Deducciones {
  totalOtrasDeducciones?: string;
  totalImpuestosRetenidos?: string;
  deduccion: { tipoDeduccion: string; clave: string; concepto: string; importe: string }[];
}
export interface OtroPago {
  tipoOtroPago: string;
  clave: string;
  concepto: string;
  importe: string;
  subsidioAlEmpleo?: { subsidioCausado: string };
  compensacionSaldosAFavor?: { saldoAFavor: string; año: string; remanenteSalFav: string };
}
export interface ReceptorNomina {
  curp: string;
  numSeguridadSocial?: string;
  fechaInicioRelLaboral?: string;
  antigüedad?: string;
  tipoContrato: string;
  sindicalizado?: 'Sí' | 'No';
  tipoJornada?: string;
  tipoRegimen: string;
  numEmpleado: string;
  departamento?: string;
  puesto?: string;
  riesgoPuesto?: string;
  periodicidadPago: string;
  banco?: string;
  cuentaBancaria?: string;
  salarioBaseCotApor?: string;
  salarioDiarioIntegrado?: string;
  claveEntFed: string;
  subContratacion: { rfcLabora: string; porcentajeTiempo: string }[];
}
export interface Nomina {
  version: '1.2';
  tipoNomina: string;
  fechaPago: string;
  fechaInicialPago: string;
  fechaFinalPago: string;
  numDiasPagados: string;
  totalPercepciones?: string;
  totalDeducciones?: string;
  totalOtrosPagos?: string;
  emisor?: { curp?: string; registroPatronal?: string; rfcPatronOrigen?: string; entidadSNCF?: { origenRecurso: string; montoRecursoPropio?: string } };
  receptor: ReceptorNomina;
  percepciones?: Percepciones;
  deducciones?: Deducciones;
  otrosPagos?: OtroPago[];
  incapacidades?: { diasIncapacidad: string; tipoIncapacidad: string; importeMonetario?: string }[];
}
