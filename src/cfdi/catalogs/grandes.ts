/**
 * c_ClaveProdServ and c_CodigoPostal, unpacked on first use from grandes.generated.ts
 * (scripts/gen-catalogos-grandes.ts; formats in empaque.ts).
 */
import { Buscador } from './buscador';
import { desempacarCreciente, desempacarFijo, ultimoHasta } from './empaque';
import * as g from './grandes.generated';
import type { ClaveProdServ, CodigoPostal } from './types';
import { vigente } from './vigencia';

interface Productos { claves: Uint32Array; descripciones: string[]; similares: string[]; sinEstimulo: Set<number> }
let productos: Productos | undefined;
function datosProductos(): Productos {
  productos ??= {
    claves: desempacarCreciente(g.claves),
    descripciones: g.descripciones.split('\n'),
    similares: g.similares.split('\n'),
    sinEstimulo: new Set(desempacarCreciente(g.sinEstimulo)),
  };
  return productos;
}

function producto(p: Productos, i: number): ClaveProdServ {
  const id = String(p.claves[i]).padStart(8, '0');
  return { id, descripcion: p.descripciones[i], estimuloFranjaFronteriza: !p.sinEstimulo.has(p.claves[i]), vigencia: g.vigencias[id] ?? g.vigenciaComun };
}

const indiceProducto = (p: Productos, clave: string) => {
  const i = ultimoHasta(p.claves, Number(clave));
  return i >= 0 && p.claves[i] === Number(clave) ? i : -1;
};

/** The c_ClaveProdServ entry `clave`, if it exists and (when `fecha` is given) is in force that day. */
export function claveProdServ(clave: string, fecha?: string): ClaveProdServ | undefined {
  if (!/^\d{8}$/.test(clave)) return undefined;
  const p = datosProductos();
  const i = indiceProducto(p, clave);
  if (i < 0) return undefined;
  const row = producto(p, i);
  return vigente(row.vigencia, fecha) ? row : undefined;
}

export interface ProductoEncontrado extends ClaveProdServ { palabrasSimilares: string }

let buscadorProductos: Buscador | undefined;
/**
 * c_ClaveProdServ entries in force on `fecha` for `q`: an 8-digit clave first when it exists, claves
 * starting with `q` when it is all digits, else the ranked text search over descripción and palabras similares.
 */
export function buscarProductosServicios(q: string, limite: number, fecha: string): ProductoEncontrado[] {
  const p = datosProductos();
  const conSimilares = (i: number) => ({ ...producto(p, i), palabrasSimilares: p.similares[i] });
  const enVigor = (i: number) => vigente(g.vigencias[String(p.claves[i]).padStart(8, '0')] ?? g.vigenciaComun, fecha);
  const digitos = q.trim();
  if (/^\d{2,8}$/.test(digitos)) {
    const desde = Number(digitos.padEnd(8, '0'));
    const hasta = Number(digitos.padEnd(8, '9'));
    const out: ProductoEncontrado[] = [];
    for (let i = ultimoHasta(p.claves, desde - 1) + 1; i < p.claves.length && p.claves[i] <= hasta && out.length < limite; i++) {
      if (enVigor(i)) out.push(conSimilares(i));
    }
    return out;
  }
  buscadorProductos ??= new Buscador(p.descripciones, p.similares);
  return buscadorProductos.buscar(q, limite, enVigor).map((a) => conSimilares(a.indice));
}

interface Postales { existe: Uint8Array; inicioTramo: Uint32Array; inicioRegion: Uint32Array }
let postales: Postales | undefined;
function datosPostales(): Postales {
  const inicios = (s: string, ancho: number) => Uint32Array.from({ length: s.length / ancho }, (_, k) => desempacarFijo(s, k * ancho, 3));
  postales ??= {
    existe: Uint8Array.from(atob(g.cpExiste), (c) => c.charCodeAt(0)),
    inicioTramo: inicios(g.tramos, 7),
    inicioRegion: inicios(g.regiones, 4),
  };
  return postales;
}

const clave = (n: number, ancho: number) => String(n).padStart(ancho, '0');

/** The c_CodigoPostal entry `cp` (5 digits), with its time zone and whether it lies in the franja fronteriza. */
export function codigoPostal(cp: string): CodigoPostal | undefined {
  if (!/^\d{5}$/.test(cp)) return undefined;
  const d = datosPostales();
  const n = Number(cp);
  if (!(d.existe[n >> 3] & (1 << (n & 7)))) return undefined;
  const t = ultimoHasta(d.inicioTramo, n) * 7;
  const municipio = desempacarFijo(g.tramos, t + 4, 2);
  const localidad = desempacarFijo(g.tramos, t + 6, 1);
  const region = desempacarFijo(g.regiones, ultimoHasta(d.inicioRegion, n) * 4 + 3, 1);
  return {
    id: cp,
    estado: g.estados[desempacarFijo(g.tramos, t + 3, 1)],
    municipio: municipio ? clave(municipio, 3) : '',
    ...(localidad ? { localidad: clave(localidad, 2) } : {}),
    zonaHoraria: g.zonas[region >> 1],
    franjaFronteriza: (region & 1) === 1,
  };
}
