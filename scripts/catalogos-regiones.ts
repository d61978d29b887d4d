/**
 * Inputs of scripts/gen-catalogos-grandes.ts that no SAT file holds for the whole c_CodigoPostal range:
 * the time zone of each (estado, municipio) and the municipios of the border IVA stimulus. Municipios
 * are named as c_Municipio writes them; the generator fails on a name it cannot find.
 */

/**
 * IANA zone per c_Estado, after the Ley de los Husos Horarios en los Estados Unidos Mexicanos (DOF
 * 2022-10-28, art. 3 and 5 as reformed DOF 2022-11-29), with the IANA tz database's zone1970.tab
 * descriptions deciding between zones of equal rules (Merida for Campeche and Yucatán, Monterrey for
 * Durango, Coahuila, Nuevo León, Tamaulipas). Intl in the runtime holds each zone's offsets and DST.
 */
export const ZONA_POR_ESTADO: Record<string, string> = {
  BCN: 'America/Tijuana', // zona Noroeste, with the US's DST (whole state, San Quintín and San Felipe too)
  BCS: 'America/Mazatlan', SIN: 'America/Mazatlan', NAY: 'America/Mazatlan', // zona Pacífico
  SON: 'America/Hermosillo', // zona Pacífico, no DST (as Arizona)
  CHH: 'America/Chihuahua', // zona Centro since 2022-10-30, except the border below
  DUR: 'America/Monterrey', COA: 'America/Monterrey', NLE: 'America/Monterrey', TAM: 'America/Monterrey',
  CAM: 'America/Merida', YUC: 'America/Merida',
  ROO: 'America/Cancun', // zona Sureste
};
export const ZONA_CENTRO = 'America/Mexico_City';

/** Municipios whose zone is not their estado's. */
export const ZONA_POR_MUNICIPIO: Record<string, Record<string, string[]>> = {
  // Art. 5 as reformed 2022-11-29: meridiano 105 with the US's DST, as El Paso.
  'America/Ciudad_Juarez': { CHH: ['Juárez', 'Janos', 'Ascensión', 'Praxedis G. Guerrero', 'Guadalupe'] },
  // Meridiano 90 with the US's DST, as Presidio (Texas).
  'America/Ojinaga': { CHH: ['Ojinaga', 'Manuel Benavides', 'Coyame del Sotol'] },
  // Art. 5: horario estacional fronterizo norte on the meridiano 90.
  'America/Matamoros': {
    COA: ['Acuña', 'Allende', 'Guerrero', 'Hidalgo', 'Jiménez', 'Morelos', 'Nava', 'Ocampo', 'Piedras Negras', 'Villa Unión', 'Zaragoza'],
    NLE: ['Anáhuac'],
    TAM: ['Nuevo Laredo', 'Guerrero', 'Mier', 'Miguel Alemán', 'Camargo', 'Gustavo Díaz Ordaz', 'Reynosa', 'Río Bravo', 'Valle Hermoso', 'Matamoros'],
  },
  // Art. 3: Bahía de Banderas keeps the zona Centro, as Puerto Vallarta across the bay.
  'America/Bahia_Banderas': { NAY: ['Bahía de Banderas'] },
};

/**
 * Municipios of the región fronteriza norte (Decreto de estímulos fiscales región fronteriza norte,
 * DOF 2018-12-31, art. primero, and the decrees that renewed it) and sur (Decreto de estímulos fiscales
 * región fronteriza sur, DOF 2020-12-30, art. primero). Used where c_CodigoPostal_Parte_2 (the SAT's
 * own flag, CPs 64280-99999) does not reach: BCN, CHH, COA, CHP, CAM and the NLE CPs below 64280.
 * San Quintín and San Felipe are the decree's Ensenada and Mexicali territory, made municipios later.
 * Not verified against the DOF text here: the list was checked against the SAT's flag where it exists
 * (all 35,667 CPs of Parte_2 agree); the lower range rests on it alone.
 */
export const FRANJA_FRONTERIZA: Record<string, string[]> = {
  BCN: ['Ensenada', 'Playas de Rosarito', 'Mexicali', 'Tecate', 'Tijuana', 'San Quintín', 'San Felipe'],
  SON: ['San Luis Río Colorado', 'Puerto Peñasco', 'General Plutarco Elías Calles', 'Caborca', 'Altar', 'Sáric', 'Nogales', 'Santa Cruz', 'Cananea', 'Naco', 'Agua Prieta'],
  CHH: ['Janos', 'Ascensión', 'Juárez', 'Praxedis G. Guerrero', 'Guadalupe', 'Coyame del Sotol', 'Ojinaga', 'Manuel Benavides'],
  COA: ['Ocampo', 'Acuña', 'Zaragoza', 'Jiménez', 'Piedras Negras', 'Nava', 'Guerrero', 'Hidalgo'],
  NLE: ['Anáhuac'],
  TAM: ['Nuevo Laredo', 'Guerrero', 'Mier', 'Miguel Alemán', 'Camargo', 'Gustavo Díaz Ordaz', 'Reynosa', 'Río Bravo', 'Valle Hermoso', 'Matamoros'],
  // región fronteriza sur
  CAM: ['Calakmul', 'Candelaria'],
  CHP: [
    'Suchiate', 'Frontera Comalapa', 'Amatenango de la Frontera', 'Benemérito de las Américas', 'Cacahoatán', 'Frontera Hidalgo',
    'La Trinitaria', 'Las Margaritas', 'Maravilla Tenejapa', 'Marqués de Comillas', 'Mazapa de Madero', 'Metapa', 'Motozintla',
    'Ocosingo', 'Palenque', 'Tapachula', 'Tuxtla Chico', 'Unión Juárez',
  ],
  TAB: ['Balancán', 'Tenosique'],
  ROO: ['Othón P. Blanco'],
};
