/**
 * CFDI tipo N with the complemento de Nómina 1.2 (revisión D): the fixed concepto 84111505 / ACT / Pago de
 * nómina for percepciones + otros pagos with the deducciones as its Descuento, Moneda MXN, Exportacion 01,
 * MetodoPago PUE, no FormaPago nor Impuestos, receptor 605 / CN01, and nomina12:Nomina.
 */
import type { Emisor } from '../../comprobante';
import { dec } from '../../decimal';
import type { Preparacion } from '../../emision';
import { leerEntrada, receptorDe, sinForma } from '../../entrada';
import { resolverFecha } from '../../fecha';
import { Problemas, validarEmisor, validarReceptor } from '../../validar';
import { calcularNomina, importesComprobante } from './calcular';
import { NominaEntradaSchema, type Nomina } from './modelo';
import { validarNomina } from './validar';
import { complementoNomina } from './xml';

export { calcularNomina, importesComprobante } from './calcular';
export { NominaEntradaSchema, type Nomina, type NominaEntrada, type PercepcionEntrada, type DeduccionEntrada, type OtroPagoEntrada } from './modelo';

// NOM11 has the trabajador's régimen 605 even with XAXX010101000 (the CURP then names a deceased worker,
// NOM10), so CFDI 4.0's "616 with a generic RFC" does not apply to a recibo de nómina.
const NO_APLICA_EN_NOMINA = new Set(['CFDI40159']);

/**
 * Validates `input` (its shape and every rule at once: the rules run over the fields that parsed) and
 * builds the CFDI tipo N; `nomina` is the computed complement.
 */
export function prepararNomina(input: unknown, emisor: Emisor, opts: { ahora?: Date } = {}): Preparacion<{ nomina: Nomina }> {
  const lectura = leerEntrada(NominaEntradaSchema, input);
  const datos = lectura.ok ? lectura.datos : lectura.parcial;
  const p = new Problemas();
  const { fecha, errors } = resolverFecha(datos.fecha, emisor.lugarExpedicion, opts.ahora ?? new Date());
  p.lista.push(...errors);
  validarEmisor(emisor, fecha, p.add);
  if (datos.receptor) {
    validarReceptor(datos.receptor, emisor, fecha, (ruta, mensaje, codigo) => {
      if (!codigo || !NO_APLICA_EN_NOMINA.has(codigo)) p.add(ruta, mensaje, codigo);
    });
  }
  validarNomina(datos, emisor, fecha, p.add);
  if (!lectura.ok) return { ok: false, errors: [...lectura.errors, ...sinForma(lectura.errors, p.lista)] };
  const entrada = lectura.datos;
  const nomina = calcularNomina(entrada);
  const { importe, descuento, total } = importesComprobante(nomina);
  if (dec(total).isNegative()) {
    p.add('deducciones', `Las deducciones (${descuento}) exceden las percepciones más los otros pagos (${importe}): el neto no puede ser negativo.`, 'CFDI40169');
  }
  if (p.lista.length) return { ok: false, errors: p.lista };

  return {
    ok: true,
    nomina,
    comprobante: {
      version: '4.0',
      serie: entrada.serie,
      folio: entrada.folio,
      fecha,
      subTotal: importe,
      descuento,
      moneda: 'MXN',
      total,
      tipoDeComprobante: 'N',
      exportacion: '01',
      metodoPago: 'PUE',
      lugarExpedicion: emisor.lugarExpedicion,
      cfdiRelacionados: [],
      emisor: { rfc: emisor.rfc, nombre: emisor.nombre, regimenFiscal: emisor.regimenFiscal },
      receptor: receptorDe(entrada.receptor),
      conceptos: [
        { claveProdServ: '84111505', cantidad: '1', claveUnidad: 'ACT', descripcion: 'Pago de nómina', valorUnitario: importe, importe, descuento, objetoImp: '01' },
      ],
      complementos: [complementoNomina(nomina)],
    },
  };
}
