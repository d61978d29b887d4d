/**
 * The JSON input of a CFDI 4.0 de ingreso (factura) or egreso (nota de crédito): its shape only; the
 * fiscal rules are validar.ts's and the OpenAPI text is the routes'.
 */
import { z } from 'zod';
import { CartaPorteEntradaSchema } from '../../complementos/carta-porte';
import { clave, decimal, objeto, ReceptorEntradaSchema, texto, UUID, type Parcial } from '../../entrada';

const ImpuestoConceptoEntradaSchema = objeto({
  impuesto: clave(),
  tipo_factor: clave(),
  tasa_o_cuota: decimal(6).optional(),
});

export const ConceptoEntradaSchema = objeto({
  clave_prod_serv: clave(),
  no_identificacion: texto(100).optional(),
  cantidad: decimal(6),
  clave_unidad: clave(),
  unidad: texto(20).optional(),
  descripcion: texto(1000),
  valor_unitario: decimal(6),
  descuento: decimal(6).optional(),
  objeto_imp: clave(),
  impuestos: z
    .object({
      traslados: z.array(ImpuestoConceptoEntradaSchema).default([]),
      retenciones: z.array(ImpuestoConceptoEntradaSchema).default([]),
    })
    .optional(),
});

export const FacturaEntradaSchema = objeto({
  receptor: ReceptorEntradaSchema,
  conceptos: z.array(ConceptoEntradaSchema).min(1),
  forma_pago: clave().optional(),
  metodo_pago: clave().optional(),
  moneda: clave().default('MXN'),
  tipo_cambio: decimal(6, 'CFDI40117').optional(),
  serie: texto(25, { unaLinea: true }).optional(),
  folio: texto(40, { unaLinea: true }).optional(),
  fecha: z.string().optional(),
  exportacion: clave().default('01'),
  condiciones_de_pago: texto(1000).optional(),
  informacion_global: z
    .object({
      periodicidad: clave(),
      meses: clave(),
      año: z.number().int().min(2019),
    })
    .optional(),
  cfdi_relacionados: z
    .array(
      objeto({
        tipo_relacion: clave(),
        uuids: z.array(z.string().regex(UUID, 'UUID inválido')).min(1),
      }),
    )
    .default([]),
  // A freight invoice (I) carries the complemento Carta Porte 3.1.
  carta_porte: CartaPorteEntradaSchema.optional(),
});

export type FacturaEntrada = z.infer<typeof FacturaEntradaSchema>;
export type ConceptoEntrada = z.infer<typeof ConceptoEntradaSchema>;
/** The input as far as it parsed: what the rules run over when a field failed its shape. */
export type FacturaParcial = Parcial<FacturaEntrada>;
export type ConceptoParcial = Parcial<ConceptoEntrada>;
