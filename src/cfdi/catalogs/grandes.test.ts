import { describe, expect, it } from 'vitest';
import { validarFecha, zonaHoraria } from '../fecha';
import { buscarClavesUnidad, buscarProductosServicios, claveProdServ, codigoPostal } from './index';
import { desempacarCreciente, empacarCreciente } from './empaque';

describe('claveProdServ', () => {
  it('finds claves with their descripción, estímulo and vigencia', () => {
    expect(claveProdServ('50202306')).toEqual({
      id: '50202306', descripcion: 'Refrescos', estimuloFranjaFronteriza: true, vigencia: { desde: '2019-01-07' },
    });
    expect(claveProdServ('01010101')?.estimuloFranjaFronteriza).toBe(false);
    expect(claveProdServ('95141904')?.id).toBe('95141904');
  });

  it('refuses unknown claves, bad formats and dates outside the vigencia', () => {
    expect(claveProdServ('50202399')).toBeUndefined();
    expect(claveProdServ('5020230')).toBeUndefined();
    expect(claveProdServ('01010101', '2018-12-31')).toBeUndefined();
    expect(claveProdServ('01010101', '2026-12-01')).toBeDefined();
  });
});

describe('codigoPostal', () => {
  it.each([
    ['06600', 'CMX', '015', 'America/Mexico_City', false],
    ['32000', 'CHH', '037', 'America/Ciudad_Juarez', true], // Juárez
    ['32880', 'CHH', '052', 'America/Ojinaga', true], // Ojinaga
    ['31000', 'CHH', '019', 'America/Chihuahua', false], // Chihuahua capital
    ['88500', 'TAM', '032', 'America/Matamoros', true], // Reynosa
    ['87000', 'TAM', '041', 'America/Monterrey', false], // Victoria
    ['26200', 'COA', '002', 'America/Matamoros', true], // Acuña
    ['64000', 'NLE', '039', 'America/Monterrey', false], // Monterrey
    ['63732', 'NAY', '020', 'America/Bahia_Banderas', false], // Bahía de Banderas
    ['63000', 'NAY', '017', 'America/Mazatlan', false], // Tepic
    ['22000', 'BCN', '004', 'America/Tijuana', true],
    ['83000', 'SON', '030', 'America/Hermosillo', false],
    ['84000', 'SON', '043', 'America/Hermosillo', true], // Nogales
    ['77500', 'ROO', '005', 'America/Cancun', false],
    ['77000', 'ROO', '004', 'America/Cancun', true], // Chetumal: región fronteriza sur
    ['30700', 'CHP', '089', 'America/Mexico_City', true], // Tapachula
    ['97000', 'YUC', '050', 'America/Merida', false],
  ])('%s: %s %s, %s, franja %s', (cp, estado, municipio, zona, franja) => {
    expect(codigoPostal(cp)).toMatchObject({ id: cp, estado, municipio, zonaHoraria: zona, franjaFronteriza: franja });
    expect(zonaHoraria(cp)).toBe(zona);
  });

  it('gives the localidad when the catalog has one, and a blank municipio as the SAT leaves it', () => {
    expect(codigoPostal('20000')).toEqual({
      id: '20000', estado: 'AGU', municipio: '001', localidad: '01', zonaHoraria: 'America/Mexico_City', franjaFronteriza: false,
    });
    expect(codigoPostal('20001')).toEqual({ id: '20001', estado: 'AGU', municipio: '', zonaHoraria: 'America/Mexico_City', franjaFronteriza: false });
  });

  it('refuses CPs not in the catalog, and zonaHoraria falls back to the state prefix for them', () => {
    expect(codigoPostal('00000')).toBeUndefined();
    expect(codigoPostal('1234')).toBeUndefined();
    expect(zonaHoraria('00000')).toBe('America/Mexico_City');
  });
});

describe('validarFecha at each zone’s hour', () => {
  // 2026-07-15T18:30:00Z: 12:30 in CDMX (−6), 11:30 in Ciudad Juárez (−6 with US DST... MDT), 13:30 in Matamoros (CDT −5).
  const ahora = new Date('2026-07-15T18:30:00Z');
  const futura = (fecha: string, cp: string) => validarFecha(fecha, cp, ahora).some((e) => e.message.includes('posterior'));
  it.each([
    ['06600', '2026-07-15T12:29:00', '2026-07-15T12:31:00'], // CDMX −6
    ['32000', '2026-07-15T12:29:00', '2026-07-15T12:31:00'], // Juárez: MDT −6 in summer
    ['32880', '2026-07-15T13:29:00', '2026-07-15T13:31:00'], // Ojinaga: CDT −5
    ['88500', '2026-07-15T13:29:00', '2026-07-15T13:31:00'], // Reynosa: CDT −5
    ['31000', '2026-07-15T12:29:00', '2026-07-15T12:31:00'], // Chihuahua −6
    ['77500', '2026-07-15T13:29:00', '2026-07-15T13:31:00'], // Cancún −5
    ['63000', '2026-07-15T11:29:00', '2026-07-15T11:31:00'], // Tepic −7
    ['63732', '2026-07-15T12:29:00', '2026-07-15T12:31:00'], // Bahía de Banderas −6
    ['83000', '2026-07-15T11:29:00', '2026-07-15T11:31:00'], // Hermosillo −7
    ['22000', '2026-07-15T11:29:00', '2026-07-15T11:31:00'], // Tijuana PDT −7
  ])('%s: %s is past, %s future', (cp, pasada, posterior) => {
    expect(futura(pasada, cp)).toBe(false);
    expect(futura(posterior, cp)).toBe(true);
  });

  it('in winter Ciudad Juárez is an hour behind CDMX: a Fecha future in Juárez is past in CDMX', () => {
    const invierno = new Date('2026-01-15T18:30:00Z'); // 12:30 CDMX, 11:30 Juárez (MST −7)
    expect(validarFecha('2026-01-15T12:00:00', '06600', invierno)).toEqual([]);
    expect(validarFecha('2026-01-15T12:00:00', '32000', invierno)[0]?.message).toContain('America/Ciudad_Juarez');
  });
});

describe('search', () => {
  const hoy = '2026-12-01';
  it('matches accents, case, plurals and prefixes, ranked', () => {
    expect(buscarProductosServicios('CAFE', 3, hoy)[0]).toMatchObject({ id: '50201706', descripcion: 'Café' });
    expect(buscarProductosServicios('camion', 1, hoy)[0].descripcion).toBe('Camiones industriales');
    expect(buscarProductosServicios('servicios de contabilidad fisc', 1, hoy)[0].id).toBe('84111503');
    expect(buscarProductosServicios('potrillo', 1, hoy)[0].palabrasSimilares).toContain('Potrillos');
  });

  it('puts an exact clave first and lists claves by prefix', () => {
    expect(buscarProductosServicios('43211503', 5, hoy).map((p) => p.id)).toEqual(['43211503']);
    expect(buscarProductosServicios('8111', 3, hoy).map((p) => p.id)).toEqual(['81111500', '81111501', '81111502']);
  });

  it('searches c_ClaveUnidad by clave, nombre and símbolo', () => {
    expect(buscarClavesUnidad('h87', 5, hoy)[0].id).toBe('H87');
    expect(buscarClavesUnidad('kilogramo', 5, hoy).map((u) => u.id)).toContain('KGM');
    expect(buscarClavesUnidad('zzzzzz', 5, hoy)).toEqual([]);
  });

  it('packs ascending lists losslessly', () => {
    const v = [0, 1, 44, 45, 2024, 2025, 95_141_904];
    expect([...desempacarCreciente(empacarCreciente(v))]).toEqual(v);
  });
});
