/**
 * Generates src/cfdi/catalogs/grandes.generated.ts: c_ClaveProdServ (52,514) and c_CodigoPostal (95,748)
 * packed into strings (see empaque.ts), from ../shared/sat/catalogos/extra (read its README: which
 * columns can be trusted) and c_Municipio. Run: `npx tsx scripts/gen-catalogos-grandes.ts`.
 * Prints the checks of the derived time zones against the SAT's 2022 huso column.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalogs } from '../src/cfdi';
import { FRANJA_FRONTERIZA, ZONA_CENTRO, ZONA_POR_ESTADO, ZONA_POR_MUNICIPIO } from './catalogos-regiones';
import { parseInserts } from './sat-sql';

const { empacarCreciente, empacarFijo } = catalogs;

const sat = path.resolve(import.meta.dirname, '../../shared/sat/catalogos');

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines), as objects by header. */
export function parseCsv(texto: string): Record<string, string>[] {
  const filas: string[][] = [];
  let fila: string[] = [];
  let campo = '';
  let comillas = false;
  for (let i = 0; i < texto.length; i++) {
    const c = texto[i];
    if (comillas) {
      if (c === '"' && texto[i + 1] === '"') { campo += '"'; i++; }
      else if (c === '"') comillas = false;
      else campo += c;
    } else if (c === '"') comillas = true;
    else if (c === ',') { fila.push(campo); campo = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && texto[i + 1] === '\n') i++;
      fila.push(campo); filas.push(fila); fila = []; campo = '';
    } else campo += c;
  }
  if (campo || fila.length) { fila.push(campo); filas.push(fila); }
  const [cabecera, ...resto] = filas;
  return resto.map((f) => Object.fromEntries(cabecera.map((h, i) => [h.trim(), (f[i] ?? '').trim()])));
}

const csv = (nombre: string) => parseCsv(readFileSync(path.join(sat, 'extra', nombre), 'utf8'));
/** dd-mm-yyyy (the copy's format) as ISO. */
const iso = (f: string) => (f ? `${f.slice(6, 10)}-${f.slice(3, 5)}-${f.slice(0, 2)}` : undefined);
const sinAcentos = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// c_ClaveProdServ
const productos = csv('c_ClaveProdServ.csv').sort((a, b) => a.clave.localeCompare(b.clave));
for (const p of productos) if (!/^\d{8}$/.test(p.clave)) throw new Error(`bad clave ${p.clave}`);
const limpio = (s: string) => s.replace(/\s+/g, ' ');
const VIGENCIA_COMUN = '2019-01-07';
const vigencias: Record<string, { desde?: string; hasta?: string }> = {};
for (const p of productos) {
  const desde = iso(p.fecha_inicio_vigencia);
  const hasta = iso(p.fecha_fin_vigencia);
  if (desde !== VIGENCIA_COMUN || hasta) vigencias[p.clave] = { desde, hasta };
}

// c_Municipio names → claves, to resolve the tables of catalogos-regiones.ts
const municipios = new Map<string, string>();
for (const [clave, estado, texto] of parseInserts(readFileSync(path.join(sat, 'data/cfdi_40_municipios.sql'), 'utf8'))) {
  municipios.set(`${estado}|${sinAcentos(String(texto))}`, String(clave));
}
function claveMunicipio(estado: string, nombre: string): string {
  const clave = municipios.get(`${estado}|${sinAcentos(nombre)}`);
  if (!clave) throw new Error(`c_Municipio has no ${nombre} in ${estado}`);
  return clave;
}
const zonaMunicipio = new Map<string, string>();
for (const [zona, porEstado] of Object.entries(ZONA_POR_MUNICIPIO)) {
  for (const [estado, nombres] of Object.entries(porEstado)) for (const n of nombres) zonaMunicipio.set(`${estado}|${claveMunicipio(estado, n)}`, zona);
}
const franjaMunicipio = new Set(
  Object.entries(FRANJA_FRONTERIZA).flatMap(([estado, nombres]) => nombres.map((n) => `${estado}|${claveMunicipio(estado, n)}`)),
);
const zonaDe = (estado: string, municipio: string) => zonaMunicipio.get(`${estado}|${municipio}`) ?? ZONA_POR_ESTADO[estado] ?? ZONA_CENTRO;

// c_CodigoPostal
const cps = csv('c_CodigoPostal.csv').sort((a, b) => a.code.localeCompare(b.code));
const parte2 = new Map(csv('c_CodigoPostal_Parte_2_2022.csv').map((r) => [r.c_CodigoPostal, r]));
const estados = [...new Set(cps.map((c) => c.state_code))].sort();

/**
 * A CP the SAT leaves without municipio (reserved, unassigned) takes, for its zone and franja only, the
 * municipio of the nearest CP before it in the same estado (else after it): the SAT hands out CPs in
 * blocks per municipio. The check against Parte_2 below measures how often that guess is right.
 */
const municipioVecino: string[] = [];
for (let i = 0, ultimo = ''; i < cps.length; i++) {
  if (i > 0 && cps[i - 1].state_code !== cps[i].state_code) ultimo = '';
  if (cps[i].municipality_code) ultimo = cps[i].municipality_code;
  municipioVecino[i] = ultimo;
}
for (let i = cps.length - 1, siguiente = ''; i >= 0; i--) {
  if (i < cps.length - 1 && cps[i + 1].state_code !== cps[i].state_code) siguiente = '';
  if (cps[i].municipality_code) siguiente = cps[i].municipality_code;
  municipioVecino[i] ||= siguiente;
}

const zonas = [...new Set([ZONA_CENTRO, ...Object.values(ZONA_POR_ESTADO), ...zonaMunicipio.values()])].sort();
const bitmap = new Uint8Array(12_500);
let tramos = '';
let regiones = '';
let anterior = '';
let regionAnterior = '';
const chequeoHuso = new Map<string, number>();
const chequeoFranja = { acierta: 0, falla: 0 };
cps.forEach((c, i) => {
  const n = Number(c.code);
  bitmap[n >> 3] |= 1 << (n & 7);
  const registro = [estados.indexOf(c.state_code), Number(c.municipality_code || 0), Number(c.locality_code || 0)];
  const clave = registro.join('|');
  if (clave !== anterior) tramos += empacarFijo(n, 3) + empacarFijo(registro[0], 1) + empacarFijo(registro[1], 2) + empacarFijo(registro[2], 1);
  anterior = clave;

  const zona = zonaDe(c.state_code, municipioVecino[i]);
  const porDecreto = franjaMunicipio.has(`${c.state_code}|${municipioVecino[i]}`);
  const p2 = parte2.get(c.code);
  // The SAT's flag where the 2022 file has the CP (1 norte, 2 sur); the decree's municipios elsewhere.
  const franja = p2 ? p2['Estímulo Franja Fronteriza'] !== '0' : porDecreto;
  if (p2) {
    chequeoFranja[porDecreto === franja ? 'acierta' : 'falla']++;
    const k = `${p2['Descripción del Huso Horario']} → ${zona}`;
    chequeoHuso.set(k, (chequeoHuso.get(k) ?? 0) + 1);
  }
  const region = String(zonas.indexOf(zona) * 2 + (franja ? 1 : 0));
  if (region !== regionAnterior) regiones += empacarFijo(n, 3) + empacarFijo(Number(region), 1);
  regionAnterior = region;
});

console.log('Parte_2 huso → derived zone (CPs):');
for (const [k, v] of [...chequeoHuso].sort()) console.log(`  ${k}: ${v}`);
console.log(`Parte_2 estímulo vs decree's municipios (neighbour municipio for blank CPs): ${JSON.stringify(chequeoFranja)}`);

const str = (s: string) => JSON.stringify(s);
const out = `// GENERATED by scripts/gen-catalogos-grandes.ts from ../shared/sat/catalogos/extra. Do not edit by hand: regenerate.
// Formats: see empaque.ts and grandes.ts.

/** c_ClaveProdServ claves, ascending, as varint deltas. */
export const claves = ${str(empacarCreciente(productos.map((p) => Number(p.clave))))};
/** Descripción of each clave, in the order of \`claves\`, one per line. */
export const descripciones = ${str(productos.map((p) => limpio(p.descripcion)).join('\n'))};
/** palabras_similares of each clave, same order, one line each (often empty). */
export const similares = ${str(productos.map((p) => limpio(p.palabras_similares)).join('\n'))};
/** Claves without the border stimulus (Estímulo Franja Fronteriza 00), as varint deltas. */
export const sinEstimulo = ${str(empacarCreciente(productos.filter((p) => p.estimulo_franja_fronteriza !== '01').map((p) => Number(p.clave))))};
export const vigenciaComun = { desde: '${VIGENCIA_COMUN}' } as const;
export const vigencias: Record<string, { desde?: string; hasta?: string }> = ${JSON.stringify(vigencias)};

/** c_Estado claves indexed by \`tramos\`. */
export const estados = ${JSON.stringify(estados)};
/** IANA zones indexed by \`regiones\`. */
export const zonas = ${JSON.stringify(zonas)};
/** Bit n set (little-endian within each byte) when CP n exists. */
export const cpExiste = ${str(Buffer.from(bitmap).toString('base64'))};
/** Runs of CPs with the same estado, municipio, localidad: 7 digits each (first CP 3, estado 1, municipio 2, localidad 1; 0 = blank). */
export const tramos = ${str(tramos)};
/** Runs of CPs with the same zone and franja: 4 digits each (first CP 3, zona × 2 + franja 1). */
export const regiones = ${str(regiones)};
`;
const target = path.resolve(import.meta.dirname, '../src/cfdi/catalogs/grandes.generated.ts');
writeFileSync(target, out);
console.log(`wrote ${target}: ${out.length} chars; tramos ${tramos.length / 7}, regiones ${regiones.length / 4}`);
