// One request example per creating operation, shown by the docs' "Probar" and sent as is by
// test/workers/ejemplos-openapi.test.ts to the sandbox app `npm start` seeds (issuer EKU9003173C9, the SAT's test
// CSD): each succeeds there. No `fecha` (now, so never older than the PAC's 72 hours); receptor, never also
// cliente_id. An example that needs an object of yours names it with a MARCADOR: put your own value there. The
// UUID ones are valid UUIDs (the schema's pattern), all zeros but the last digit, so no tool calls the example wrong.

export const MARCADORES = {
  uuidFacturaTimbrada: '00000000-0000-4000-8000-000000000001',
  uuidFacturaPpd: '00000000-0000-4000-8000-000000000002',
  xmlCfdi: '<?xml version="1.0" encoding="UTF-8"?> (el XML completo del CFDI recibido)',
} as const;

const receptor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'G03' };
const iva16 = { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }] };

export const EJEMPLO_FACTURA = {
  receptor,
  forma_pago: '03',
  metodo_pago: 'PUE',
  conceptos: [
    {
      clave_prod_serv: '43232408',
      cantidad: '2',
      clave_unidad: 'E48',
      descripcion: 'Desarrollo de software',
      valor_unitario: '500.00',
      objeto_imp: '02',
      impuestos: iva16,
    },
  ],
};

export const EJEMPLO_NOTA_CREDITO = {
  receptor,
  forma_pago: '03',
  metodo_pago: 'PUE',
  cfdi_relacionados: [{ tipo_relacion: '01', uuids: [MARCADORES.uuidFacturaTimbrada] }],
  conceptos: [
    {
      clave_prod_serv: '84111506',
      cantidad: '1',
      clave_unidad: 'ACT',
      descripcion: 'Bonificación por pronto pago',
      valor_unitario: '100.00',
      objeto_imp: '02',
      impuestos: iva16,
    },
  ],
};

/** Pays half of a PPD factura of 1,000.00 + IVA (1,160.00): parcialidad 1, saldo insoluto 580.00. */
export const EJEMPLO_COMPLEMENTO_PAGO = {
  receptor: { ...receptor, uso_cfdi: 'CP01' },
  pagos: [{ fecha_pago: '2026-12-01T12:00:00', forma_pago: '03', documentos: [{ uuid: MARCADORES.uuidFacturaPpd, imp_pagado: '580.00' }] }],
};

/** A draft's PATCH (JSON Merge Patch): paid in cash on the spot instead of by transfer. */
export const EJEMPLO_BORRADOR_CAMBIOS = { forma_pago: '01', condiciones_de_pago: 'Contado' };

export const EJEMPLO_CANCELACION = { motivo: '02' };

export const EJEMPLO_VERIFICAR = { xml: MARCADORES.xmlCfdi };

export const EJEMPLO_RECIBO_NOMINA = {
  fecha_pago: '2026-11-15',
  fecha_inicial_pago: '2026-11-01',
  fecha_final_pago: '2026-11-15',
  num_dias_pagados: '15',
  tipo_nomina: 'O',
  emisor: { registro_patronal: 'B5510768108' },
  receptor: {
    rfc: 'XOJI740919U48',
    nombre: 'INGRID XODAR JIMENEZ',
    domicilio_fiscal: '42501',
    curp: 'XOJI740919MDFDMN05',
    num_seguridad_social: '12345678901',
    fecha_inicio_rel_laboral: '2020-03-01',
    tipo_contrato: '01',
    sindicalizado: false,
    tipo_jornada: '01',
    tipo_regimen: '02',
    num_empleado: '0001',
    departamento: 'Administración',
    puesto: 'Contadora',
    riesgo_puesto: '1',
    periodicidad_pago: '04',
    cuenta_bancaria: '002180012345678906',
    salario_base_cot_apor: '520.00',
    salario_diario_integrado: '522.74',
    clave_ent_fed: 'HID',
  },
  percepciones: [
    { tipo_percepcion: '001', clave: 'SUELDO', concepto: 'Sueldo', importe_gravado: '7500.00', importe_exento: '0.00' },
    { tipo_percepcion: '029', clave: 'VALES', concepto: 'Vales de despensa', importe_gravado: '0.00', importe_exento: '500.00' },
  ],
  deducciones: [
    { tipo_deduccion: '002', clave: 'ISR', concepto: 'ISR', importe: '683.50' },
    { tipo_deduccion: '001', clave: 'IMSS', concepto: 'Cuota obrera IMSS', importe: '190.37' },
  ],
  otros_pagos: [{ tipo_otro_pago: '002', clave: 'SPE', concepto: 'Subsidio para el empleo', importe: '0.00', subsidio_al_empleo: { subsidio_causado: '0.00' } }],
};

/** A payroll of that quincena: the same salaried employee and an asimilado a salarios. */
const { fecha_pago, fecha_inicial_pago, fecha_final_pago, tipo_nomina, emisor, ...sueldo } = EJEMPLO_RECIBO_NOMINA;
export const EJEMPLO_NOMINA = {
  periodo: { tipo_nomina, fecha_pago, fecha_inicial_pago, fecha_final_pago },
  emisor,
  recibos: [
    sueldo,
    {
      num_dias_pagados: '15',
      // an asimilado a salarios has no registro patronal (NOM rule)
      emisor: { registro_patronal: null },
      receptor: {
        rfc: 'GALA850315AB3',
        nombre: 'ALEJANDRO GARCIA LOPEZ',
        domicilio_fiscal: '42501',
        curp: 'GALA850315HHGRPL01',
        tipo_contrato: '09',
        tipo_regimen: '09',
        num_empleado: 'A001',
        periodicidad_pago: '04',
        clave_ent_fed: 'CMX',
      },
      percepciones: [{ tipo_percepcion: '046', clave: 'ASIMILA', concepto: 'Ingresos asimilados a salarios', importe_gravado: '20000.00', importe_exento: '0.00' }],
      deducciones: [{ tipo_deduccion: '002', clave: 'ISR', concepto: 'ISR', importe: '3563.21' }],
    },
  ],
};
