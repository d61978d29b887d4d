import { z } from '@hono/zod-openapi';
import { NominaEntradaSchema } from '../../cfdi';
import { FACTURA_STATUSES } from '../../db/schema';
import { PaginationQuerySchema } from '../../lib/pagination';
import { COMUNES, documentar, FacturaDetalleSchema, FacturaSchema, type Texto } from '../comprobantes.schemas';

// The HTTP contract of the recibos de nómina: the core's NominaEntradaSchema with its OpenAPI text (the SAT's
// vocabulary of the guía de llenado, Nómina 1.2 revisión D), the recibo's own summary and the list's filters.

const catalogo = (nombre: string, que: string, example: string): Texto => ({ description: `${nombre}: ${que}`, example });

const TEXTOS: Record<string, Texto> = {
  '': 'Un recibo de nómina: CFDI de tipo N con el complemento de Nómina 1.2 (revisión D). HexaFac calcula los totales, el concepto único y los importes del comprobante.',
  serie: { description: 'Serie para control interno; si se omite, la de la aplicación para el tipo N o «N».', example: 'N' },
  folio: COMUNES.folio!,
  fecha: COMUNES.fecha!,
  tipo_nomina: catalogo('c_TipoNomina', 'O ordinaria (periodicidad 01–10), E extraordinaria (aguinaldo, PTU, finiquito; periodicidad 99).', 'O'),
  fecha_pago: { description: 'FechaPago: fecha en que se pagó al trabajador, AAAA-MM-DD.', example: '2026-11-15' },
  fecha_inicial_pago: { description: 'FechaInicialPago: primer día del periodo de pago, AAAA-MM-DD.', example: '2026-11-01' },
  fecha_final_pago: { description: 'FechaFinalPago: último día del periodo de pago, AAAA-MM-DD (no anterior a la inicial).', example: '2026-11-15' },
  num_dias_pagados: { description: 'NumDiasPagados: días pagados en el periodo (hasta 3 decimales, de 0.001 a 36160).', example: '15' },
  emisor: 'Datos del patrón propios de la nómina (el RFC, nombre y régimen son los de la aplicación).',
  'emisor.curp': { description: 'CURP del patrón: obligatoria si es persona física, prohibida si es persona moral.', example: 'XOJI740919MDFDMN05' },
  'emisor.registro_patronal': {
    description: 'Registro patronal ante el IMSS (u otra institución de seguridad social): obligatorio con tipo de contrato 01 a 08, prohibido con 09, 10 y 99.',
    example: 'B5510768108',
  },
  'emisor.rfc_patron_origen': { description: 'RFC del patrón que originalmente pagaba (sustitución patronal).', example: 'EKU9003173C9' },
  'emisor.entidad_sncf': 'Solo entidades del Sistema Nacional de Coordinación Fiscal (gobierno): el origen de los recursos.',
  'emisor.entidad_sncf.origen_recurso': catalogo('c_OrigenRecurso', 'IP ingresos propios, IF ingresos federales, IM ingresos mixtos.', 'IP'),
  'emisor.entidad_sncf.monto_recurso_propio': { description: 'Con origen IM: la parte pagada con recursos propios (menor que lo pagado).', example: '1000.00' },
  receptor: 'El trabajador: receptor del CFDI y nodo Receptor de la nómina. Siempre en línea (un trabajador no es un cliente guardado).',
  'receptor.rfc': { description: 'RFC del trabajador (persona física, 13 caracteres), inscrito en el SAT.', example: 'XOJI740919U48' },
  'receptor.nombre': { description: 'Nombre del trabajador como en su constancia de situación fiscal.', example: 'INGRID XODAR JIMENEZ' },
  'receptor.domicilio_fiscal': { description: 'Código postal del domicilio fiscal del trabajador.', example: '42501' },
  'receptor.regimen_fiscal': { description: 'c_RegimenFiscal del trabajador: siempre 605 (Sueldos y Salarios e Ingresos Asimilados a Salarios).', example: '605' },
  'receptor.uso_cfdi': { description: 'c_UsoCFDI: siempre CN01 (Nómina).', example: 'CN01' },
  'receptor.curp': { description: 'CURP del trabajador (18 caracteres).', example: 'XOJI740919MDFDMN05' },
  'receptor.num_seguridad_social': { description: 'Número de seguridad social (hasta 15 dígitos); obligatorio con registro patronal.', example: '12345678901' },
  'receptor.fecha_inicio_rel_laboral': {
    description: 'FechaInicioRelLaboral, AAAA-MM-DD: no posterior a la fecha final de pago; obligatoria con registro patronal.',
    example: '2020-03-01',
  },
  'receptor.antigüedad': {
    description:
      'Antigüedad en el formato del SAT: semanas (P350W) o años, meses y días (P6Y8M15D). Si se omite y hay fecha_inicio_rel_laboral, ' +
      'HexaFac la calcula en semanas completas hasta la fecha final de pago.',
    example: 'P350W',
  },
  'receptor.tipo_contrato': catalogo('c_TipoContrato', '01 por tiempo indeterminado … 08 modalidad de tiempo, 09 sin relación de trabajo (asimilados), 10 jubilación, 99 otro.', '01'),
  'receptor.sindicalizado': { description: 'Sindicalizado: true se escribe «Sí», false «No».', example: false },
  'receptor.tipo_jornada': catalogo('c_TipoJornada', '01 diurna, 02 nocturna, 03 mixta, 04 por hora, … 99 otra.', '01'),
  'receptor.tipo_regimen': catalogo('c_TipoRegimen', '02 sueldos, 03 jubilados, 04 pensionados, 05–11 asimilados a salarios, 12 jubilados o pensionados, 13 indemnización o separación, 99 otro.', '02'),
  'receptor.num_empleado': { description: 'Número de empleado asignado por el patrón (hasta 15 caracteres).', example: '0001' },
  'receptor.departamento': { description: 'Departamento o área del trabajador.', example: 'Administración' },
  'receptor.puesto': { description: 'Puesto asignado al trabajador.', example: 'Contadora' },
  'receptor.riesgo_puesto': catalogo('c_RiesgoPuesto', 'clase 1 a 5 del riesgo de trabajo ante el IMSS, 99 no aplica; obligatorio con registro patronal.', '1'),
  'receptor.periodicidad_pago': catalogo('c_PeriodicidadPago', '01 diario, 02 semanal, 03 catorcenal, 04 quincenal, 05 mensual, … 99 otra (nómina extraordinaria).', '04'),
  'receptor.banco': catalogo('c_Banco', 'banco de la cuenta; solo con cuenta de 10, 11 o 16 dígitos (no con CLABE).', '002'),
  'receptor.cuenta_bancaria': { description: 'Cuenta (10 u 11 dígitos), tarjeta (16) o CLABE (18, con su dígito de control) donde se deposita.', example: '002180012345678906' },
  'receptor.salario_base_cot_apor': { description: 'SalarioBaseCotApor: salario base de cotización y aportaciones (percepciones fijas y variables).', example: '520.00' },
  'receptor.salario_diario_integrado': { description: 'SalarioDiarioIntegrado (art. 84 de la LFT).', example: '522.74' },
  'receptor.clave_ent_fed': catalogo('c_Estado', 'entidad federativa donde el trabajador presta el servicio.', 'HID'),
  'receptor.subcontratacion': 'Subcontratación: las empresas donde el trabajador labora y el porcentaje de su tiempo en cada una (suman 100).',
  'receptor.subcontratacion[]': 'Una empresa donde labora el trabajador subcontratado.',
  'receptor.subcontratacion[].rfc_labora': { description: 'RFC de la persona o empresa donde labora.', example: 'EKU9003173C9' },
  'receptor.subcontratacion[].porcentaje_tiempo': { description: 'Porcentaje del tiempo que labora ahí (hasta 3 decimales).', example: '100' },
  percepciones: 'Percepciones del periodo; HexaFac calcula TotalSueldos, TotalSeparacionIndemnizacion, TotalJubilacionPensionRetiro, TotalGravado y TotalExento.',
  'percepciones[]': 'Una percepción: su importe gravado y exento de ISR.',
  'percepciones[].tipo_percepcion': catalogo('c_TipoPercepcion', '001 sueldos, 002 aguinaldo, 003 PTU, 019 horas extra, 022–025 separación, 029 vales de despensa, 039/044 jubilación…', '001'),
  'percepciones[].clave': { description: 'Clave de la percepción en el sistema de nómina del patrón (3 a 15 caracteres).', example: 'SUELDO' },
  'percepciones[].concepto': { description: 'Descripción de la percepción.', example: 'Sueldo' },
  'percepciones[].importe_gravado': { description: 'Importe gravado de ISR.', example: '7500.00' },
  'percepciones[].importe_exento': { description: 'Importe exento de ISR.', example: '0.00' },
  'percepciones[].acciones_o_titulos': 'Solo con tipo de percepción 045 (ingresos en acciones o títulos).',
  'percepciones[].acciones_o_titulos.valor_mercado': { description: 'Valor de mercado de las acciones o títulos al ejercer la opción (hasta 6 decimales).', example: '150.000000' },
  'percepciones[].acciones_o_titulos.precio_al_otorgarse': { description: 'Precio establecido al otorgarse la opción (hasta 6 decimales).', example: '100.000000' },
  'percepciones[].horas_extra': 'Obligatorio con tipo de percepción 019 (horas extra): por tipo de horas.',
  'percepciones[].horas_extra[]': 'Las horas extra de un tipo.',
  'percepciones[].horas_extra[].dias': { description: 'Días en que se trabajaron horas extra.', example: 2 },
  'percepciones[].horas_extra[].tipo_horas': catalogo('c_TipoHoras', '01 dobles, 02 triples, 03 simples.', '01'),
  'percepciones[].horas_extra[].horas_extra': { description: 'Número de horas extra trabajadas.', example: 6 },
  'percepciones[].horas_extra[].importe_pagado': { description: 'Importe pagado por esas horas extra.', example: '600.00' },
  jubilacion_pension_retiro: 'Obligatorio con percepciones de tipo 039 (en una exhibición) o 044 (en parcialidades).',
  'jubilacion_pension_retiro.total_una_exhibicion': { description: 'Con tipo 039: el monto pagado en una exhibición.', example: '21000.00' },
  'jubilacion_pension_retiro.total_parcialidad': { description: 'Con tipo 044: el total de la parcialidad.', example: '21000.00' },
  'jubilacion_pension_retiro.monto_diario': { description: 'Con tipo 044: el monto diario.', example: '700.00' },
  'jubilacion_pension_retiro.ingreso_acumulable': { description: 'Ingreso acumulable de ISR.', example: '21000.00' },
  'jubilacion_pension_retiro.ingreso_no_acumulable': { description: 'Ingreso no acumulable de ISR.', example: '0.00' },
  separacion_indemnizacion: 'Obligatorio con percepciones de tipo 022, 023 o 025 (prima por antigüedad, pagos por separación, indemnizaciones).',
  'separacion_indemnizacion.total_pagado': { description: 'Total pagado por separación o indemnización.', example: '62000.00' },
  'separacion_indemnizacion.num_años_servicio': { description: 'Años de servicio del trabajador (el exceso de 6 meses cuenta como un año).', example: 6 },
  'separacion_indemnizacion.ultimo_sueldo_mens_ord': { description: 'Último sueldo mensual ordinario.', example: '15000.00' },
  'separacion_indemnizacion.ingreso_acumulable': { description: 'Ingreso acumulable: el menor entre el total pagado y el último sueldo mensual ordinario.', example: '15000.00' },
  'separacion_indemnizacion.ingreso_no_acumulable': { description: 'Ingreso no acumulable: total pagado menos el último sueldo mensual ordinario.', example: '47000.00' },
  deducciones: 'Deducciones del periodo; HexaFac calcula TotalImpuestosRetenidos (ISR, tipo 002) y TotalOtrasDeducciones.',
  'deducciones[]': 'Una deducción.',
  'deducciones[].tipo_deduccion': catalogo('c_TipoDeduccion', '001 seguridad social (IMSS), 002 ISR, 003 aportaciones a retiro, 006 incapacidad, 010 INFONAVIT…', '002'),
  'deducciones[].clave': { description: 'Clave de la deducción en el sistema de nómina del patrón (3 a 15 caracteres).', example: 'ISR' },
  'deducciones[].concepto': { description: 'Descripción de la deducción.', example: 'ISR' },
  'deducciones[].importe': { description: 'Importe de la deducción (mayor que cero).', example: '683.50' },
  otros_pagos: 'Otros pagos que no son percepciones (subsidio para el empleo, compensación de saldos a favor, viáticos…).',
  'otros_pagos[]': 'Un otro pago.',
  'otros_pagos[].tipo_otro_pago': catalogo('c_TipoOtroPago', '001 reintegro de ISR pagado en exceso, 002 subsidio para el empleo, 003 viáticos, 004 compensación de saldos a favor, 999 otros.', '002'),
  'otros_pagos[].clave': { description: 'Clave del otro pago en el sistema de nómina del patrón (3 a 15 caracteres).', example: 'SPE' },
  'otros_pagos[].concepto': { description: 'Descripción del otro pago.', example: 'Subsidio para el empleo' },
  'otros_pagos[].importe': { description: 'Importe del otro pago.', example: '0.00' },
  'otros_pagos[].subsidio_al_empleo': 'Obligatorio con tipo 002: el subsidio causado (desde 2024, hasta 475.00 en un periodo de hasta 31 días).',
  'otros_pagos[].subsidio_al_empleo.subsidio_causado': { description: 'Subsidio para el empleo causado conforme a la tabla del SAT (no menor que el importe entregado).', example: '0.00' },
  'otros_pagos[].compensacion_saldos_a_favor': 'Obligatorio con tipo 004: el saldo a favor que se compensa.',
  'otros_pagos[].compensacion_saldos_a_favor.saldo_a_favor': { description: 'Saldo a favor determinado en el ejercicio.', example: '1200.00' },
  'otros_pagos[].compensacion_saldos_a_favor.año': { description: 'Ejercicio en que se determinó el saldo a favor (anterior al actual).', example: 2025 },
  'otros_pagos[].compensacion_saldos_a_favor.remanente_sal_fav': { description: 'Remanente del saldo a favor tras esta compensación.', example: '200.00' },
  incapacidades: 'Incapacidades del periodo: obligatorias con percepción 014 (subsidio por incapacidad) o deducción 006.',
  'incapacidades[]': 'Una incapacidad.',
  'incapacidades[].dias_incapacidad': { description: 'Días de incapacidad.', example: 3 },
  'incapacidades[].tipo_incapacidad': catalogo('c_TipoIncapacidad', '01 riesgo de trabajo, 02 enfermedad en general, 03 maternidad, 04 licencia por cuidados médicos de hijos con cáncer.', '02'),
  'incapacidades[].importe_monetario': { description: 'Importe monetario de la incapacidad (el descuento o el subsidio).', example: '450.00' },
};

export const ReciboNominaCrearSchema = documentar(NominaEntradaSchema, TEXTOS).meta({ id: 'ReciboNominaNuevo' });

/** What the recibo adds to a comprobante's view: the employee, the period and what was paid, as stored with it. */
export const NominaResumenSchema = z
  .object({
    curp: z.string().meta({ example: 'XOJI740919MDFDMN05' }),
    num_empleado: z.string().meta({ example: '0001' }),
    tipo_nomina: z.enum(['O', 'E']),
    fecha_pago: z.string().meta({ example: '2026-11-15' }),
    fecha_inicial_pago: z.string().meta({ example: '2026-11-01' }),
    fecha_final_pago: z.string().meta({ example: '2026-11-15' }),
    total_percepciones: z.string().meta({ example: '8000.00' }),
    total_deducciones: z.string().meta({ example: '873.87' }),
    total_otros_pagos: z.string().meta({ example: '0.00' }),
    neto: z.string().meta({ description: 'Neto a pagar: percepciones + otros pagos − deducciones (el Total del CFDI).', example: '7126.13' }),
  })
  .meta({ id: 'ReciboNominaResumen', description: 'El trabajador (nombre y RFC en `receptor`), el periodo y los totales del recibo.' });

export const ReciboNominaSchema = FacturaSchema.extend({ nomina: NominaResumenSchema }).meta({ id: 'ReciboNomina' });
export const ReciboNominaDetalleSchema = FacturaDetalleSchema.extend({ nomina: NominaResumenSchema }).meta({ id: 'ReciboNominaDetalle' });

const fecha = (description: string, example: string) => z.iso.date().optional().meta({ description, example });

export const ListarRecibosNominaQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(FACTURA_STATUSES).optional(),
  rfc: z.string().max(13).optional().meta({ description: 'RFC del trabajador.', example: 'XOJI740919U48' }),
  curp: z.string().max(18).optional().meta({ description: 'CURP del trabajador.', example: 'XOJI740919MDFDMN05' }),
  num_empleado: z.string().max(15).optional().meta({ description: 'Número de empleado.', example: '0001' }),
  tipo_nomina: z.enum(['O', 'E']).optional().meta({ description: 'O ordinaria, E extraordinaria.' }),
  fecha_inicial_pago: fecha('Exactamente este primer día del periodo (los recibos de una quincena).', '2026-11-01'),
  fecha_final_pago: fecha('Exactamente este último día del periodo.', '2026-11-15'),
  periodo_desde: fecha('Recibos cuyo periodo empieza en esta fecha o después (inclusive).', '2026-11-01'),
  periodo_hasta: fecha('Recibos cuyo periodo termina en esta fecha o antes (inclusive).', '2026-11-30'),
});

