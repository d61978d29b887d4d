/**
 * The Carta Porte 3.1 catalogs the API lists and searches, by the name it documents: the same generated rows
 * the rules check (catalogos.generated.ts), searched in memory like c_ClaveUnidad (catalogs/buscador.ts).
 * c_ClaveProdServCP and c_Colonia are not here: the SAT does not publish them as data (the rules only check
 * their format).
 */
import { Buscador } from '../../catalogs/buscador';
import * as ccp from './catalogos.generated';

export type FilaCartaPorte = { id: string; texto: string } & Record<string, unknown>;

/** Name in the API → the SAT's catalog and its rows; `secundario` gives the words a row is also found by. */
export const CATALOGOS_CARTA_PORTE: Record<string, { sat: string; filas: readonly FilaCartaPorte[]; secundario?: (f: FilaCartaPorte) => string }> = {
  'material-peligroso': { sat: 'c_MaterialPeligroso', filas: ccp.materialesPeligrosos, secundario: (f) => String(f.nombreTecnico ?? '') },
  'tipo-embalaje': { sat: 'c_TipoEmbalaje', filas: ccp.tiposEmbalaje },
  'config-autotransporte': { sat: 'c_ConfigAutotransporte', filas: ccp.configuracionesAutotransporte },
  'subtipo-remolque': { sat: 'c_SubTipoRem', filas: ccp.subtiposRemolque },
  'tipo-permiso': { sat: 'c_TipoPermiso', filas: ccp.tiposPermiso },
  'figura-transporte': { sat: 'c_FiguraTransporte', filas: ccp.figurasTransporte },
  'parte-transporte': { sat: 'c_ParteTransporte', filas: ccp.partesTransporte },
  'regimen-aduanero': { sat: 'c_RegimenAduanero', filas: ccp.regimenesAduaneros },
  'documento-aduanero': { sat: 'c_DocumentoAduanero', filas: ccp.documentosAduaneros },
  'tipo-materia': { sat: 'c_TipoMateria', filas: ccp.tiposMateria },
  'sector-cofepris': { sat: 'c_SectorCOFEPRIS', filas: ccp.sectoresCofepris },
  'clave-transporte': { sat: 'c_CveTransporte', filas: ccp.transportes },
  'clave-unidad-peso': { sat: 'c_ClaveUnidadPeso', filas: ccp.clavesUnidadPeso, secundario: (f) => String(f.simbolo ?? '') },
};

const buscadores = new Map<string, Buscador>();

/**
 * The first `limite` rows of catalog `nombre` (one of CATALOGOS_CARTA_PORTE) for `q`: the claves that start
 * with it (any case) in the catalog's order, then the rows whose descripción matches every word of it, best
 * first (accents and case aside); every row in order without `q`.
 */
export function buscarCatalogoCartaPorte(nombre: string, q: string | undefined, limite: number): FilaCartaPorte[] {
  const { filas, secundario } = CATALOGOS_CARTA_PORTE[nombre]!;
  if (q === undefined) return filas.slice(0, limite);
  const prefijo = q.trim().toUpperCase();
  const porClave = filas.filter((f) => f.id.toUpperCase().startsWith(prefijo)).slice(0, limite);
  let buscador = buscadores.get(nombre);
  if (!buscador) buscadores.set(nombre, (buscador = new Buscador(filas.map((f) => f.texto), filas.map((f) => secundario?.(f) ?? ''))));
  const vistas = new Set(porClave);
  const porTexto = buscador.buscar(q, limite, (i) => !vistas.has(filas[i]!)).map((a) => filas[a.indice]!);
  return [...porClave, ...porTexto].slice(0, limite);
}
