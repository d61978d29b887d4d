import { catalogs } from '../src/cfdi';

// The portal's selects, from the SAT catalogs of the fiscal core. Every option carries what the browser needs
// to filter them live (client.ts): who a régimen is for, and which regímenes a uso CFDI admits. Without
// JavaScript all valid options show and the server checks the choice.

export interface OpcionRegimen { id: string; texto: string; fisica: boolean; moral: boolean }
export interface OpcionUso extends OpcionRegimen { regimenes: string[] }

const vigente = (x: { vigencia: { hasta?: string | null } }) => !x.vigencia.hasta;

export const REGIMENES: OpcionRegimen[] = catalogs.catalogos.regimenesFiscales
  .filter(vigente)
  .map((r) => ({ id: r.id, texto: r.texto, fisica: r.aplicaFisica, moral: r.aplicaMoral }));

// CP01 (pagos) belongs to complementos de pago, never to the factura de ingreso the portal issues.
export const USOS: OpcionUso[] = catalogs.catalogos.usosCfdi
  .filter((u) => vigente(u) && u.id !== 'CP01')
  .map((u) => ({ id: u.id, texto: u.texto, fisica: u.aplicaFisica, moral: u.aplicaMoral, regimenes: u.regimenesFiscalesReceptores }));

/** 12 characters: persona moral; 13: física; anything else is not known yet. */
export function personaDe(rfc: string): 'fisica' | 'moral' | null {
  const r = rfc.trim();
  return r.length === 12 ? 'moral' : r.length === 13 ? 'fisica' : null;
}
