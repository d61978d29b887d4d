import { z } from '@hono/zod-openapi';
import { ComplementoPagoEntradaSchema, FacturaEntradaSchema, TrasladoEntradaSchema } from '../cfdi';
import { ENVIO_STATUSES, FACTURA_STATUSES } from '../db/schema';
import { PaginationQuerySchema } from '../lib/pagination';
import { EJEMPLO_FLETE, textosCartaPorte, TRASLADO } from './comprobantes.carta-porte';
import { EJEMPLO_BORRADOR_CAMBIOS } from './ejemplos';

// The HTTP contract of the comprobantes (facturas, notas de crédito, complementos de pago): the fiscal
// core's input shapes with their OpenAPI text, and the shared request and response schemas.

/** OpenAPI text of a field: its description, or the description and an example. */
export type Texto = string | { description: string; example: unknown };

/**
 * `schema` with the text of `textos` on its fields, keyed by path ('receptor.rfc', 'conceptos[].cantidad';
 * '' is the schema itself). Optional and default wrappers share their field's path.
 */
export function documentar<T extends z.ZodType>(schema: T, textos: Record<string, Texto>, ruta = ''): T {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const hijo = (s: unknown, r: string) => documentar(s as z.ZodType, textos, r);
  if (def.type === 'optional' || def.type === 'default') return schema.clone({ ...def, innerType: hijo(def.innerType, ruta) } as typeof def) as T;
  let s: z.ZodType = schema;
  if (def.type === 'object') {
    const shape = Object.fromEntries(Object.entries(def.shape as z.ZodRawShape).map(([k, v]) => [k, hijo(v, ruta ? `${ruta}.${k}` : k)]));
    s = schema.clone({ ...def, shape } as typeof def);
  } else if (def.type === 'array') {
    s = schema.clone({ ...def, element: hijo(def.element, `${ruta}[]`) } as typeof def);
  }
  const t = textos[ruta];
  return (t === undefined ? s : s.meta(typeof t === 'string' ? { description: t } : t)) as T;
}

// Fields every kind shares.
export const COMUNES: Record<string, Texto> = {
  'receptor.rfc': {
    description: 'RFC del receptor: 12 caracteres persona moral, 13 persona física; XAXX010101000 público en general, XEXX010101000 extranjero.',
    example: 'XAXX010101000',
  },
  'receptor.nombre': { description: 'Nombre o razón social, como en la constancia de situación fiscal (sin régimen societario).', example: 'PUBLICO EN GENERAL' },
  'receptor.domicilio_fiscal': { description: 'Código postal del domicilio fiscal del receptor (5 dígitos; solo se valida el formato).', example: '42501' },
  'receptor.regimen_fiscal': { description: 'c_RegimenFiscal del receptor.', example: '616' },
  'receptor.uso_cfdi': { description: 'c_UsoCFDI; debe corresponder al régimen y al tipo de persona del receptor.', example: 'S01' },
  'receptor.residencia_fiscal': { description: 'c_Pais de residencia fiscal (solo receptores extranjeros).', example: 'USA' },
  'receptor.num_reg_id_trib': { description: 'Número de registro de identidad fiscal extranjero.', example: '123456789' },
  serie: { description: 'Serie para control interno.', example: 'A' },
  folio: { description: 'Folio para control interno.', example: '1001' },
  fecha: {
    description: 'Fecha de expedición en hora local del lugar de expedición, AAAA-MM-DDThh:mm:ss sin zona horaria; si se omite, ahora.',
    example: '2026-11-20T12:00:00',
  },
};

const IMPUESTO_CONCEPTO = (p: string): Record<string, Texto> => ({
  [p]: 'Impuesto de un concepto; la base y el importe se calculan.',
  [`${p}.impuesto`]: { description: 'c_Impuesto: 001 ISR, 002 IVA, 003 IEPS.', example: '002' },
  [`${p}.tipo_factor`]: { description: 'c_TipoFactor: Tasa, Cuota o Exento (Exento solo en traslados).', example: 'Tasa' },
  [`${p}.tasa_o_cuota`]: { description: 'c_TasaOCuota: tasa o cuota del impuesto (se omite si el tipo de factor es Exento).', example: '0.160000' },
});

const FACTURA: Record<string, Texto> = {
  ...COMUNES,
  receptor: 'Receptor del comprobante.',
  conceptos: 'Conceptos del comprobante (al menos uno).',
  'conceptos[]': 'Concepto (partida) del comprobante; el importe se calcula como cantidad × valor unitario.',
  'conceptos[].clave_prod_serv': { description: 'c_ClaveProdServ (8 dígitos). Se valida solo el formato: el catálogo aún no está disponible.', example: '43232408' },
  'conceptos[].no_identificacion': { description: 'Número de parte, SKU o identificador del producto.', example: 'SKU-001' },
  'conceptos[].cantidad': { description: 'Cantidad de bienes o servicios (hasta 6 decimales, mayor que cero).', example: '2' },
  'conceptos[].clave_unidad': { description: 'c_ClaveUnidad.', example: 'E48' },
  'conceptos[].unidad': { description: 'Unidad de medida propia del emisor.', example: 'Servicio' },
  'conceptos[].descripcion': { description: 'Descripción del bien o servicio.', example: 'Desarrollo de software a la medida' },
  'conceptos[].valor_unitario': { description: 'Valor unitario, sin impuestos.', example: '1500.00' },
  'conceptos[].descuento': { description: 'Descuento del concepto (no mayor que su importe).', example: '0' },
  'conceptos[].objeto_imp': { description: 'c_ObjetoImp: 01 no objeto, 02 sí objeto (requiere impuestos), 03 sí objeto sin desglose, ...', example: '02' },
  'conceptos[].impuestos': 'Obligatorio si objeto_imp es 02; prohibido si es 01.',
  'conceptos[].impuestos.traslados': 'Impuestos trasladados.',
  'conceptos[].impuestos.retenciones': 'Impuestos retenidos.',
  ...IMPUESTO_CONCEPTO('conceptos[].impuestos.traslados[]'),
  ...IMPUESTO_CONCEPTO('conceptos[].impuestos.retenciones[]'),
  forma_pago: { description: 'c_FormaPago; con método PPD debe ser 99 (por definir).', example: '03' },
  metodo_pago: { description: 'c_MetodoPago: PUE una sola exhibición, PPD parcialidades o diferido.', example: 'PUE' },
  moneda: { description: 'c_Moneda (ISO 4217).', example: 'MXN' },
  tipo_cambio: { description: 'Pesos por unidad de la moneda; obligatorio si la moneda no es MXN ni XXX.', example: '17.2345' },
  exportacion: { description: 'c_Exportacion; 01 no aplica.', example: '01' },
  condiciones_de_pago: { description: 'Condiciones comerciales de pago.', example: 'Contado' },
  informacion_global: 'Obligatoria para la factura global a PUBLICO EN GENERAL (RFC XAXX010101000).',
  'informacion_global.periodicidad': { description: 'c_Periodicidad.', example: '04' },
  'informacion_global.meses': { description: 'c_Meses: 01–12 un mes, 13–18 bimestres.', example: '11' },
  'informacion_global.año': { description: 'Año de las operaciones globales.', example: 2026 },
  cfdi_relacionados: 'CFDI relacionados; obligatorio en notas de crédito (tipo E).',
  'cfdi_relacionados[].tipo_relacion': { description: 'c_TipoRelacion; 01 nota de crédito.', example: '01' },
  'cfdi_relacionados[].uuids': { description: 'Folios fiscales (UUID) de los CFDI relacionados.', example: ['5FB2822E-396D-4725-8521-CDC4BDD20CCF'] },
  // a freight invoice (clave de servicio de transporte) with its Carta Porte
  ...textosCartaPorte('carta_porte', EJEMPLO_FLETE.carta_porte),
};

const IMPUESTO_DOCUMENTO = (p: string): Record<string, Texto> => ({
  [p]: 'Impuesto del documento relacionado, agrupado por impuesto, tipo de factor y tasa o cuota.',
  [`${p}.base`]: { description: 'Base de este impuesto en el documento relacionado completo (no la del pago): HexaFac la prorratea.', example: '10000.00' },
  [`${p}.impuesto`]: { description: 'c_Impuesto: 001 ISR, 002 IVA, 003 IEPS.', example: '002' },
  [`${p}.tipo_factor`]: { description: 'c_TipoFactor.', example: 'Tasa' },
  [`${p}.tasa_o_cuota`]: { description: 'c_TasaOCuota (se omite si el tipo de factor es Exento).', example: '0.160000' },
});

const DOC = 'pagos[].documentos[]';
const COMPLEMENTO_PAGO: Record<string, Texto> = {
  ...COMUNES,
  'receptor.uso_cfdi': { description: 'c_UsoCFDI: siempre CP01 (Pagos).', example: 'CP01' },
  pagos: 'Pagos recibidos (al menos uno), del mismo receptor.',
  'pagos[]': 'Pago recibido.',
  'pagos[].fecha_pago': {
    description: 'FechaPago: cuándo el beneficiario recibió el pago, AAAA-MM-DDThh:mm:ss; con solo AAAA-MM-DD se registra 12:00:00.',
    example: '2026-11-20T10:30:00',
  },
  'pagos[].forma_pago': { description: 'FormaDePagoP (c_FormaPago); no puede ser 99.', example: '03' },
  'pagos[].moneda': { description: 'MonedaP (c_Moneda); no XXX.', example: 'MXN' },
  'pagos[].tipo_cambio': { description: 'TipoCambioP: pesos por unidad de la moneda del pago; obligatorio si no es MXN (para MXN es 1).', example: '17.2345' },
  'pagos[].monto': {
    description: 'Monto del pago en su moneda; si se omite, la suma de lo pagado de cada factura convertida a la moneda del pago.',
    example: '5800.00',
  },
  'pagos[].num_operacion': { description: 'Número de cheque, autorización, referencia o clave de rastreo SPEI.', example: '0123456789' },
  'pagos[].rfc_emisor_cta_ord': { description: 'RFC de la entidad emisora de la cuenta ordenante (XEXX010101000 si es extranjera).', example: 'BMI9704113PA' },
  'pagos[].nom_banco_ord_ext': { description: 'Nombre del banco ordenante extranjero (obligatorio con XEXX010101000).', example: 'BANK OF AMERICA' },
  'pagos[].cta_ordenante': { description: 'Cuenta con la que se pagó.', example: '012180001234567897' },
  'pagos[].rfc_emisor_cta_ben': { description: 'RFC de la entidad operadora de la cuenta beneficiaria.', example: 'BBA830831LJ2' },
  'pagos[].cta_beneficiario': { description: 'Cuenta en que se recibió el pago.', example: '0198005000' },
  'pagos[].documentos': 'Facturas que cubre este pago.',
  [DOC]: 'DoctoRelacionado: una factura (PPD) que este pago cubre total o parcialmente.',
  [`${DOC}.uuid`]: { description: 'IdDocumento: folio fiscal (UUID) de la factura que se paga.', example: '5FB2822E-396D-4725-8521-CDC4BDD20CCF' },
  [`${DOC}.serie`]: { description: 'Serie de la factura pagada.', example: 'A' },
  [`${DOC}.folio`]: { description: 'Folio de la factura pagada.', example: '1001' },
  [`${DOC}.moneda`]: { description: 'MonedaDR: c_Moneda de la factura pagada (no XXX).', example: 'MXN' },
  [`${DOC}.equivalencia`]: {
    description:
      'EquivalenciaDR: unidades de la moneda de la factura por una unidad de la moneda del pago; obligatoria si difieren, 1 (o se omite) si son iguales.',
    example: '17.25',
  },
  [`${DOC}.num_parcialidad`]: { description: 'Número de parcialidad de la factura que cubre este pago.', example: 1 },
  [`${DOC}.imp_saldo_ant`]: { description: 'Saldo de la factura antes de este pago, en su moneda.', example: '11600.00' },
  [`${DOC}.imp_pagado`]: { description: 'Importe pagado de la factura, en su moneda.', example: '5800.00' },
  [`${DOC}.imp_saldo_insoluto`]: {
    description: 'Saldo que queda (ImpSaldoAnt − ImpPagado); se calcula si se omite y se comprueba si se da.',
    example: '5800.00',
  },
  [`${DOC}.objeto_imp`]: { description: 'ObjetoImpDR (c_ObjetoImp): 02 exige impuestos; 01, 03, 04 y 05 los prohíben.', example: '02' },
  [`${DOC}.total`]: { description: 'Total de la factura pagada (su atributo Total); obligatorio con impuestos, para prorratearlos.', example: '11600.00' },
  [`${DOC}.impuestos`]: 'Impuestos de la factura completa; los ImpuestosDR del pago se calculan en proporción a lo pagado.',
  [`${DOC}.impuestos.traslados`]: 'Impuestos trasladados de la factura.',
  [`${DOC}.impuestos.retenciones`]: 'Impuestos retenidos de la factura.',
  ...IMPUESTO_DOCUMENTO(`${DOC}.impuestos.traslados[]`),
  ...IMPUESTO_DOCUMENTO(`${DOC}.impuestos.retenciones[]`),
};

const Factura = documentar(FacturaEntradaSchema, FACTURA);
const ComplementoPago = documentar(ComplementoPagoEntradaSchema, COMPLEMENTO_PAGO);

/** The body of POST /traslados: the receptor is the issuer itself (CP107), so there is no cliente_id. */
export const TrasladoCrearSchema = documentar(TrasladoEntradaSchema, { ...COMUNES, ...TRASLADO }).meta({ id: 'TrasladoNuevo' });

export const IdParamsSchema = z.object({
  id: z.string().meta({ description: 'Id de HexaFac (UUIDv7) o folio fiscal (UUID del SAT).', example: '019ab1c2-0000-7000-8000-000000000001' }),
});

/** The filters of every listing of comprobantes (GET /facturas adds tipo and receptor_rfc; GET /traslados is these). */
export const ListarComprobantesQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(FACTURA_STATUSES).optional(),
  desde: z.iso.date().optional().meta({ description: 'Fecha de emisión desde (inclusive), AAAA-MM-DD.', example: '2026-11-01' }),
  hasta: z.iso.date().optional().meta({ description: 'Fecha de emisión hasta (inclusive), AAAA-MM-DD.', example: '2026-11-30' }),
});

export const ReceptorPorCliente = {
  cliente_id: z.string().optional().meta({ description: 'Id de un cliente guardado (en lugar de `receptor`).', example: '019ab1c2-0000-7000-8000-0000000000c1' }),
};

/** The body of a factura that is issued now: a sustitución's replacement (never a draft). */
export const FacturaSustitutaSchema = Factura.extend({
  receptor: Factura.shape.receptor.optional(),
  ...ReceptorPorCliente,
}).meta({ id: 'FacturaSustituta' });

export const BORRADOR_CAMPO = {
  borrador: z
    .boolean()
    .default(false)
    .meta({
      description:
        'true: se guarda como borrador (201, estado `borrador`): validado como cualquier otro, sin folio, sin CSD requerido y sin llegar al PAC; ' +
        'se modifica con PATCH, se previsualiza en …/pdf y se timbra con POST …/{id}/timbrar.',
      example: false,
    }),
};

export const FacturaCrearSchema = FacturaSustitutaSchema.extend(BORRADOR_CAMPO).meta({ id: 'FacturaNueva' });

export const FacturaSchema = z
  .object({
    id: z.string(),
    tipo: z.enum(['I', 'E', 'P', 'N', 'T']).meta({ description: 'I factura, E nota de crédito, P complemento de pago, N recibo de nómina, T traslado.' }),
    status: z.enum(FACTURA_STATUSES),
    mode: z.enum(['test', 'live']),
    serie: z.string().meta({ example: 'F' }),
    folio: z.string().nullable().meta({ description: 'null en un borrador: el folio se asigna al timbrarlo.', example: '1' }),
    uuid: z.string().nullable().meta({ example: '5FB2822E-396D-4725-8521-CDC4BDD20CCF' }),
    fecha: z.string().meta({ example: '2026-11-25T10:00:00' }),
    fecha_timbrado: z.string().nullable(),
    no_certificado_sat: z.string().nullable(),
    pac: z.string().nullable().meta({ description: 'El PAC que lo timbró (sw-sapien, finkok; sandbox o sandbox-respaldo en pruebas).', example: 'sw-sapien' }),
    sustituye_a: z
      .string()
      .nullable()
      .meta({ description: 'En una sustitución (POST /facturas/{id}/sustituir): el id del comprobante que este sustituye.' }),
    receptor: z.object({ rfc: z.string(), nombre: z.string() }),
    cliente_id: z.string().nullable(),
    moneda: z.string(),
    metodo_pago: z.string().nullable(),
    subtotal: z.string().meta({ example: '1000.00' }),
    total: z.string().meta({ example: '1160.00' }),
    errores: z.array(z.object({ code: z.string(), message: z.string() })),
    cancelacion: z
      .object({ motivo: z.string(), folio_sustitucion: z.string().nullable(), acuse: z.string().nullable() })
      .nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    links: z.object({
      self: z.string(),
      xml: z.string().optional(),
      pdf: z.string().optional().meta({ description: 'En un borrador, su vista previa marcada BORRADOR.' }),
      timbrar: z.string().optional().meta({ description: 'Solo en un borrador: POST para timbrarlo.' }),
    }),
  })
  .meta({ id: 'Factura' });

export const EventoSchema = z.object({
  id: z.string(),
  type: z.string().meta({ example: 'factura.timbrada' }),
  status_anterior: z.string().nullable(),
  status_nuevo: z.string().nullable(),
  created_at: z.string(),
});

const importe = (example: string) => z.string().meta({ example });

export const SaldoSchema = z
  .object({
    total: importe('1160.00'),
    pagado: importe('580.00').meta({ description: 'Suma de lo pagado por complementos de pago vigentes o en timbrado.' }),
    acreditado: importe('0.00').meta({ description: 'Suma de lo aplicado por notas de crédito vigentes o en timbrado.' }),
    saldo_insoluto: importe('580.00').meta({ description: 'total − pagado − acreditado, en la moneda de la factura.' }),
    pagos: z.array(
      z.object({
        complemento_id: z.string(),
        uuid: z.string().nullable(),
        num_parcialidad: z.number().int(),
        imp_saldo_ant: importe('1160.00'),
        imp_pagado: importe('580.00'),
        imp_saldo_insoluto: importe('580.00'),
        status: z.enum(FACTURA_STATUSES),
      }),
    ),
    notas_credito: z.array(
      z.object({
        nota_credito_id: z.string(),
        uuid: z.string().nullable(),
        imp_saldo_ant: importe('1160.00'),
        importe: importe('116.00'),
        imp_saldo_insoluto: importe('1044.00'),
        status: z.enum(FACTURA_STATUSES),
      }),
    ),
  })
  .meta({ id: 'Saldo', description: 'Solo facturas PPD: su saldo y los pagos y notas de crédito que se le aplican (los rechazados no aparecen; los cancelados no cuentan).' });

export const AplicacionSchema = z
  .object({
    factura_id: z.string(),
    uuid: z.string(),
    num_parcialidad: z.number().int().nullable(),
    imp_saldo_ant: importe('1160.00'),
    importe: importe('580.00'),
    imp_saldo_insoluto: importe('580.00'),
  })
  .meta({ id: 'Aplicacion', description: 'Lo que un complemento de pago o una nota de crédito aplica a una factura.' });

export const EnvioSchema = z
  .object({
    id: z.string(),
    to: z.array(z.string()).meta({ example: ['contabilidad@cliente.mx'] }),
    cc: z.array(z.string()).meta({ example: [] }),
    automatico: z.boolean().meta({ description: 'true: el envío al timbrar (al email del cliente o del portal); false: POST …/{id}/enviar.' }),
    status: z.enum(ENVIO_STATUSES).meta({
      description: '`pendiente` (en cola o reintentando) → `enviado` (el servicio de correo lo aceptó) o `error` (se agotaron los reintentos; ver `error`).',
    }),
    message_id: z.string().nullable().meta({ description: 'Message-ID del correo, el mismo en cada reintento.', example: '<019ab1c2-0000-7000-8000-0000000000e1@hexafac.mx>' }),
    intentos: z.number().int(),
    error: z.string().nullable().meta({ description: 'La razón del último intento fallido.' }),
    created_at: z.string(),
    enviado_at: z.string().nullable(),
  })
  .meta({ id: 'Envio', description: 'Un envío por correo del XML y el PDF de un comprobante.' });

export const FacturaDetalleSchema = FacturaSchema.extend({
  historial: z.array(EventoSchema),
  saldo: SaldoSchema.optional(),
  aplicaciones: z.array(AplicacionSchema).optional().meta({ description: 'Solo notas de crédito y complementos de pago.' }),
  envios: z.array(EnvioSchema).meta({ description: 'Sus envíos por correo, del más antiguo al más reciente.' }),
}).meta({ id: 'FacturaDetalle' });

const AdvertenciasSchema = z
  .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
  .meta({ description: 'Lo que el SAT admite pero conviene revisar (p. ej. IVA 8 % fuera de la franja fronteriza); no impide el timbrado.' });

export const BorradorSchema = FacturaSchema.extend({ advertencias: AdvertenciasSchema }).meta({
  id: 'Borrador',
  description: 'Un comprobante en borrador (status `borrador`, folio null) con las advertencias de su solicitud.',
});

export const BorradorCambiosSchema = z
  .record(z.string(), z.unknown())
  .meta({
    id: 'BorradorCambios',
    description:
      'JSON Merge Patch (RFC 7396) de la solicitud guardada: un campo con valor lo reemplaza (un objeto se combina campo por campo, ' +
      'una lista se reemplaza completa), un campo en null lo quita. El resultado se valida completo, como al crear.',
    example: EJEMPLO_BORRADOR_CAMBIOS,
  });

export const AceptadaSchema = z
  .object({
    id: z.string(),
    status: z.literal('pendiente'),
    advertencias: AdvertenciasSchema,
    links: z.object({ self: z.string() }),
  })
  .meta({ id: 'ComprobanteAceptado' });

// The request of POST /complementos-pago: the core's input where each paid document
// is only a reference plus what the client wants to state; HexaFac fills in the rest from the invoice.

const PagoCore = ComplementoPago.shape.pagos.element;
const DocumentoCore = PagoCore.shape.documentos.element;

export const DocumentoPagadoSchema = z
  .object({
    uuid: DocumentoCore.shape.uuid.optional().describe('Folio fiscal (UUID) de la factura PPD que se paga.'),
    id: z.string().optional().describe('O bien el id de HexaFac de la factura.').meta({ example: '019ab1c2-0000-7000-8000-000000000001' }),
    equivalencia: DocumentoCore.shape.equivalencia,
    num_parcialidad: DocumentoCore.shape.num_parcialidad
      .optional()
      .describe('Se calcula del historial de pagos de la factura si se omite (la siguiente); si se da, debe coincidir.'),
    imp_saldo_ant: DocumentoCore.shape.imp_saldo_ant
      .optional()
      .describe('Se calcula (total − pagos − notas de crédito vigentes) si se omite; si se da, debe coincidir.'),
    imp_pagado: DocumentoCore.shape.imp_pagado.optional().describe('Importe pagado, en la moneda de la factura; si se omite, todo su saldo.'),
    imp_saldo_insoluto: DocumentoCore.shape.imp_saldo_insoluto,
  })
  .refine((d) => (d.uuid === undefined) !== (d.id === undefined), { message: 'Indica `uuid` o `id` de la factura (uno solo).', path: ['uuid'] })
  .describe(
    'Factura PPD que cubre este pago. Serie, folio, moneda, total, ObjetoImpDR e impuestos se toman de la factura; ' +
      'los ImpuestosDR se prorratean a lo pagado.',
  );

export const ComplementoPagoCrearSchema = ComplementoPago.extend({
  receptor: ComplementoPago.shape.receptor.optional(),
  ...ReceptorPorCliente,
  pagos: z.array(PagoCore.extend({ documentos: z.array(DocumentoPagadoSchema).min(1) })).min(1),
}).meta({ id: 'ComplementoPagoNuevo' });

export type ComplementoPagoCrear = z.infer<typeof ComplementoPagoCrearSchema>;

export const EstadoSatSchema = z
  .object({
    uuid: z.string(),
    estado: z.enum(['vigente', 'cancelado', 'no_encontrado']).meta({ description: 'Estado del CFDI en el SAT (Vigente, Cancelado, No Encontrado).' }),
    es_cancelable: z.string().nullable().meta({ example: 'Cancelable con aceptación' }),
    estatus_cancelacion: z.string().nullable().meta({ example: 'En proceso' }),
    validacion_efos: z.string().nullable().meta({ description: '200: el emisor no está en la lista de EFOS del SAT.', example: '200' }),
    consultado_at: z.string(),
  })
  .meta({ id: 'EstadoSat' });
