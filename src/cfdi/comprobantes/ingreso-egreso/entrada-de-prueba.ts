import type { Emisor } from '../../comprobante';

// Test support only (no runtime code imports it): the core's own input, shared by this folder's tests —
// the SAT's test issuer, a persona moral receptor, PUE, one concepto with IVA 16 %. Mutated freely per case.

export const EMISOR: Emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
/** 12:00 in Mexico City, and that local time as a Fecha. */
export const AHORA = new Date('2026-11-20T18:00:00Z');
export const FECHA = '2026-11-20T12:00:00';

export type Input = Record<string, any>;

export function base(): Input {
  return {
    receptor: { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03' },
    forma_pago: '03',
    metodo_pago: 'PUE',
    conceptos: [
      {
        clave_prod_serv: '81112100', cantidad: '1', clave_unidad: 'E48', descripcion: 'Servicio', valor_unitario: '100', objeto_imp: '02',
        impuestos: { traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.16' }] },
      },
    ],
  };
}
