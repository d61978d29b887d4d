/**
 * The CFDI 4.0 model: the JSON input (`FacturaInputSchema`, also the API request body and its
 * OpenAPI description) and the validated, computed `Comprobante` that the XML writer serialises.
 *
 * Money in `Comprobante` is kept as decimal strings already formatted exactly as they go into the
 * XML (computed with decimal.js in calc.ts, rounded as the SAT requires), so the model is plain JSON:
 * it can be stored, compared and serialised without any float ever appearing.
 */
import { z } from 'zod';
import type { XmlElement } from './xml';

/** An unsigned decimal with up to `decimales` decimals: a string like "1234.50" or a JSON number; parsed to an exact decimal. */
export function decimalCon(decimales: number, description: string, example: string | number) {
  const re = new RegExp(`^\\d{1,18}(\\.\\d{1,${decimales}})?$`);
  const mensaje = `Debe ser un decimal sin signo con hasta 18 enteros y ${decimales} decimales`;
  return z
    .union([z.string().trim().regex(re, mensaje), z.number().nonnegative().refine((n) => re.test(String(n)), mensaje)])
    .describe(description)
    .meta({ example });
}

const decimal = (description: string, example: string | number) => decimalCon(6, description, example);

/** Free text as the SAT allows it: trimmed, no pipe (the cadena original's separator). */
export function texto(max: number, description: string, example: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^|]*$/, 'No debe contener el carácter |')
    .describe(description)
    .meta({ example });
}

function clave(description: string, example: string) {
  return z.string().trim().min(1).describe(description).meta({ example });
}

const ImpuestoConceptoSchema = z
  .object({
    impuesto: clave('c_Impuesto: 001 ISR, 002 IVA, 003 IEPS.', '002'),
    tipo_factor: clave('c_TipoFactor: Tasa, Cuota o Exento (Exento solo en traslados).', 'Tasa'),
    tasa_o_cuota: decimal('c_TasaOCuota: tasa o cuota del impuesto (se omite si el tipo de factor es Exento).', '0.160000').optional(),
  })
  .describe('Impuesto de un concepto; la base y el importe se calculan.');

export const ConceptoInputSchema = z
  .object({
    clave_prod_serv: clave('c_ClaveProdServ (8 dígitos). Se valida solo el formato: el catálogo aún no está disponible.', '43232408'),
    no_identificacion: texto(100, 'Número de parte, SKU o identificador del producto.', 'SKU-001').optional(),
    cantidad: decimal('Cantidad de bienes o servicios (hasta 6 decimales, mayor que cero).', '2'),
    clave_unidad: clave('c_ClaveUnidad.', 'E48'),
    unidad: texto(20, 'Unidad de medida propia del emisor.', 'Servicio').optional(),
    descripcion: texto(1000, 'Descripción del bien o servicio.', 'Desarrollo de software a la medida'),
    valor_unitario: decimal('Valor unitario, sin impuestos.', '1500.00'),
    descuento: decimal('Descuento del concepto (no mayor que su importe).', '0').optional(),
    objeto_imp: clave('c_ObjetoImp: 01 no objeto, 02 sí objeto (requiere impuestos), 03 sí objeto sin desglose, ...', '02'),
    impuestos: z
      .object({
        traslados: z.array(ImpuestoConceptoSchema).default([]).describe('Impuestos trasladados.'),
        retenciones: z.array(ImpuestoConceptoSchema).default([]).describe('Impuestos retenidos.'),
      })
      .optional()
      .describe('Obligatorio si objeto_imp es 02; prohibido si es 01.'),
  })
  .describe('Concepto (partida) del comprobante; el importe se calcula como cantidad × valor unitario.');

export const FacturaInputSchema = z
  .object({
    receptor: z
      .object({
        rfc: clave('RFC del receptor: 12 caracteres persona moral, 13 persona física; XAXX010101000 público en general, XEXX010101000 extranjero.', 'XAXX010101000'),
        nombre: texto(300, 'Nombre o razón social, como en la constancia de situación fiscal (sin régimen societario).', 'PUBLICO EN GENERAL'),
        domicilio_fiscal: clave('Código postal del domicilio fiscal del receptor (5 dígitos; solo se valida el formato).', '42501'),
        regimen_fiscal: clave('c_RegimenFiscal del receptor.', '616'),
        uso_cfdi: clave('c_UsoCFDI; debe corresponder al régimen y al tipo de persona del receptor.', 'S01'),
        residencia_fiscal: clave('c_Pais de residencia fiscal (solo receptores extranjeros).', 'USA').optional(),
        num_reg_id_trib: texto(40, 'Número de registro de identidad fiscal extranjero.', '123456789').optional(),
      })
      .describe('Receptor del comprobante.'),
    conceptos: z.array(ConceptoInputSchema).min(1).describe('Conceptos del comprobante (al menos uno).'),
    forma_pago: clave('c_FormaPago; con método PPD debe ser 99 (por definir).', '03').optional(),
    metodo_pago: clave('c_MetodoPago: PUE una sola exhibición, PPD parcialidades o diferido.', 'PUE').optional(),
    moneda: clave('c_Moneda (ISO 4217).', 'MXN').default('MXN'),
    tipo_cambio: decimal('Pesos por unidad de la moneda; obligatorio si la moneda no es MXN ni XXX.', '17.2345').optional(),
    serie: texto(25, 'Serie para control interno.', 'A').optional(),
    folio: texto(40, 'Folio para control interno.', '1001').optional(),
    fecha: z
      .string()
      .describe('Fecha de expedición en hora local del lugar de expedición, AAAA-MM-DDThh:mm:ss sin zona horaria; si se omite, ahora.')
      .meta({ example: '2026-11-20T12:00:00' })
      .optional(),
    exportacion: clave('c_Exportacion; 01 no aplica.', '01').default('01'),
    condiciones_de_pago: texto(1000, 'Condiciones comerciales de pago.', 'Contado').optional(),
    informacion_global: z
      .object({
        periodicidad: clave('c_Periodicidad.', '04'),
        meses: clave('c_Meses: 01–12 un mes, 13–18 bimestres.', '11'),
        año: z.number().int().min(2019).describe('Año de las operaciones globales.').meta({ example: 2026 }),
      })
      .optional()
      .describe('Obligatoria para la factura global a PUBLICO EN GENERAL (RFC XAXX010101000).'),
    cfdi_relacionados: z
      .array(
        z.object({
          tipo_relacion: clave('c_TipoRelacion; 01 nota de crédito.', '01'),
          uuids: z
            .array(z.string().regex(/^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/, 'UUID inválido'))
            .min(1)
            .describe('Folios fiscales (UUID) de los CFDI relacionados.')
            .meta({ example: ['5FB2822E-396D-4725-8521-CDC4BDD20CCF'] }),
        }),
      )
      .default([])
      .describe('CFDI relacionados; obligatorio en notas de crédito (tipo E).'),
  })
  .describe('Datos de un CFDI 4.0 de ingreso o egreso; el emisor es la aplicación cliente.');

export type FacturaInput = z.infer<typeof FacturaInputSchema>;
export type ConceptoInput = z.infer<typeof ConceptoInputSchema>;

/** The issuer, as configured for the client application. */
export interface Emisor {
  rfc: string;
  nombre: string;
  regimenFiscal: string;
  /** c_CodigoPostal of the place of issue (LugarExpedicion). */
  lugarExpedicion: string;
}

export type TipoDeComprobante = 'I' | 'E' | 'T' | 'N' | 'P';
export type TipoFactor = 'Tasa' | 'Cuota' | 'Exento';

/** Traslado or Retencion of a Concepto. Exento traslados carry neither tasaOCuota nor importe. */
export interface ImpuestoConcepto {
  base: string;
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: string;
  importe?: string;
}

export interface Concepto {
  claveProdServ: string;
  noIdentificacion?: string;
  cantidad: string;
  claveUnidad: string;
  unidad?: string;
  descripcion: string;
  valorUnitario: string;
  importe: string;
  descuento?: string;
  objetoImp: string;
  impuestos?: { traslados: ImpuestoConcepto[]; retenciones: ImpuestoConcepto[] };
}

/** Comprobante-level Traslado: grouped by impuesto + tipoFactor + tasaOCuota. */
export interface TrasladoComprobante {
  base: string;
  impuesto: string;
  tipoFactor: TipoFactor;
  tasaOCuota?: string;
  importe?: string;
}

/** Comprobante-level Retencion: grouped by impuesto. */
export interface RetencionComprobante {
  impuesto: string;
  importe: string;
}

export interface ImpuestosComprobante {
  totalImpuestosRetenidos?: string;
  totalImpuestosTrasladados?: string;
  retenciones: RetencionComprobante[];
  traslados: TrasladoComprobante[];
}

/** A complemento built elsewhere (e.g. Pagos 2.0), placed inside cfdi:Complemento. */
export interface Complemento {
  nodo: XmlElement;
  /** prefix → namespace URI, declared on cfdi:Comprobante. */
  namespaces: Record<string, string>;
  /** Pairs "namespace-uri xsd-url" appended to xsi:schemaLocation. */
  schemaLocation: string[];
}

/**
 * The validated, computed CFDI 4.0 (attributes named as in Anexo 20, camelCased). Every amount is a
 * decimal string formatted as it goes in the XML; Sello, NoCertificado and Certificado are added when
 * sealing.
 */
export interface Comprobante {
  version: '4.0';
  serie?: string;
  folio?: string;
  /** Local time at LugarExpedicion, `YYYY-MM-DDTHH:mm:ss`. */
  fecha: string;
  formaPago?: string;
  condicionesDePago?: string;
  subTotal: string;
  descuento?: string;
  moneda: string;
  tipoCambio?: string;
  total: string;
  tipoDeComprobante: TipoDeComprobante;
  exportacion: string;
  metodoPago?: string;
  lugarExpedicion: string;
  informacionGlobal?: { periodicidad: string; meses: string; año: string };
  cfdiRelacionados: { tipoRelacion: string; uuids: string[] }[];
  emisor: { rfc: string; nombre: string; regimenFiscal: string };
  receptor: {
    rfc: string;
    nombre: string;
    domicilioFiscalReceptor: string;
    residenciaFiscal?: string;
    numRegIdTrib?: string;
    regimenFiscalReceptor: string;
    usoCfdi: string;
  };
  conceptos: Concepto[];
  impuestos?: ImpuestosComprobante;
  complementos?: Complemento[];
}
