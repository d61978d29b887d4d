/**
 * CFDI tipo T (traslado): the goods a company moves, SubTotal and Total 0, Moneda XXX, no FormaPago or
 * MetodoPago, ObjetoImp 01 and no Impuestos; with `carta_porte`, the complemento Carta Porte 3.1.
 */
import type { Emisor } from '../../comprobante';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe, sinForma } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { Problemas } from '../../validar';
import { calcularCartaPorte, complementoCartaPorte, type CartaPorte } from '../../complementos/carta-porte';
import { conceptosDeTraslado } from './calcular';
import { TrasladoEntradaSchema } from './modelo';
import { validarTraslado } from './validar';

export { TrasladoEntradaSchema, type TrasladoEntrada } from './modelo';

/**
 * Validates `input` (its shape and every rule over the fields that parsed, all problems at once) and builds
 * the CFDI tipo T; `cartaPorte` is the computed complement when one was given.
 */
export function prepararTraslado(input: unknown, emisor: Emisor, opts: { ahora?: Date } = {}): Preparacion<{ cartaPorte?: CartaPorte }> {
  const lectura = leerEntrada(TrasladoEntradaSchema, input);
  const datos = lectura.ok ? lectura.datos : lectura.parcial;
  const { fecha, errors } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  const reglas = validarTraslado(datos, emisor, fecha);
  const advertencias = reglas.advertencias.length ? { advertencias: reglas.advertencias } : {};
  const problemas = [...errors, ...reglas.lista];
  if (!lectura.ok) return { ok: false, errors: [...lectura.errors, ...sinForma(lectura.errors, problemas)], ...advertencias };
  if (problemas.length) return { ok: false, errors: problemas, ...advertencias };
  const t = lectura.datos;
  const calculo = new Problemas();
  const cartaPorte = t.carta_porte && calcularCartaPorte(t.carta_porte, calculo);
  if (calculo.lista.length) return { ok: false, errors: calculo.lista, ...advertencias };

  return {
    ok: true,
    ...advertencias,
    ...(cartaPorte ? { cartaPorte } : {}),
    comprobante: {
      version: '4.0',
      serie: t.serie,
      folio: t.folio,
      fecha,
      subTotal: '0',
      moneda: 'XXX',
      total: '0',
      tipoDeComprobante: 'T',
      exportacion: t.exportacion,
      lugarExpedicion: emisor.lugarExpedicion,
      cfdiRelacionados: t.cfdi_relacionados.map((rel) => ({ tipoRelacion: rel.tipo_relacion, uuids: rel.uuids.map((u) => u.toUpperCase()) })),
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(t.receptor),
      conceptos: conceptosDeTraslado(t.conceptos),
      complementos: cartaPorte ? [complementoCartaPorte(cartaPorte)] : [],
    },
  };
}
