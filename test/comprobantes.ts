import { api, facturaBase, json, waitFor } from './helpers';

// Test support shared by the notas-credito and complementos-pago suites (and later kinds): stamped invoices to relate.

export const OTRO_RECEPTOR = { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA', domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03' };

/** A PPD invoice body; `valor` is the one concepto's value before IVA 16%. */
export const facturaPPD = (valor = '1000.00', over: Record<string, unknown> = {}) => {
  const base = facturaBase({ metodo_pago: 'PPD', forma_pago: '99', ...over });
  return { ...base, conceptos: [{ ...base.conceptos[0]!, cantidad: '1', valor_unitario: valor }] };
};

/** Polls a comprobante's GET route until it leaves `pendiente`. */
export function esperarFin(token: string, ruta: string, id: string) {
  return waitFor(async () => {
    const f = await json(await api('GET', `${ruta}/${id}`, { token }));
    return f.status && f.status !== 'pendiente' ? f : null;
  }, `${ruta}/${id} stamped`);
}

/** POST /facturas and wait until stamped; the invoice's detail. */
export async function facturaTimbrada(token: string, body: unknown = facturaPPD()) {
  const res = await api('POST', '/facturas', { token, body });
  if (res.status !== 202) throw new Error(`factura: ${res.status} ${await res.text()}`);
  const f = await esperarFin(token, '/facturas', (await json(res)).id);
  if (f.status !== 'timbrada') throw new Error(`factura ${f.status}: ${JSON.stringify(f.errores)}`);
  return f;
}

/** The attribute values of every element `local` in an XML, in document order. */
export function nodos(xml: string, local: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<[\\w]+:${local}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}
