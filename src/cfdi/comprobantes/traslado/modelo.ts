/**
 * The JSON input of a CFDI de traslado (tipo T): the goods moved, without prices or taxes, and usually the
 * complemento Carta Porte. Its shape only; the rules are validar.ts's and the OpenAPI text the routes'.
 * forma_pago, metodo_pago and moneda are read only to answer with the SAT's code why they cannot be given.
 */
import { z } from 'zod';
import { clave, decimal, objeto, ReceptorEntradaSchema, texto, type Parcial } from '../../entrada';
import { CartaPorteEntradaSchema } from '../../complementos/carta-porte';
import { FacturaEntradaSchema } from '../ingreso-egreso';

const ConceptoTrasladoEntradaSchema = objeto({
  clave_prod_serv: clave(),
  no_identificacion: texto(100).optional(),
  cantidad: decimal(6),
  clave_unidad: clave(),
  unidad: texto(20).optional(),
  descripcion: texto(1000),
  // A traslado has no price: its SubTotal is 0 (CFDI40109), so every ValorUnitario is 0.
  valor_unitario: decimal(6).default('0'),
  objeto_imp: clave().default('01'),
});

export const TrasladoEntradaSchema = objeto({
  ...FacturaEntradaSchema.pick({ serie: true, folio: true, fecha: true, exportacion: true, cfdi_relacionados: true }).shape,
  receptor: objeto({ ...ReceptorEntradaSchema.shape, uso_cfdi: clave().default('S01') }),
  conceptos: z.array(ConceptoTrasladoEntradaSchema).min(1),
  forma_pago: clave().optional(),
  metodo_pago: clave().optional(),
  moneda: clave().optional(),
  carta_porte: CartaPorteEntradaSchema.optional(),
});

export type TrasladoEntrada = z.infer<typeof TrasladoEntradaSchema>;
export type TrasladoParcial = Parcial<TrasladoEntrada>;
