/**
 * The rules of the SAT's matriz de errores for Carta Porte 3.1 (CPxxx codes) that can be checked before
 * stamping, over the fields of `carta_porte` that parsed, each at its JSON path. What needs l_RFC, c_Colonia
 * or c_ClaveProdServCP's columns (not published as data) is left to the PAC; docs/reglas-sat.md lists both.
 * Only autotransporte federal is supported: the other means of transport are refused by name.
 */
import * as cat from '../../catalogs';
import type { Emisor } from '../../comprobante';
import { dec } from '../../decimal';
import { problemaRfc, RFC_EXTRANJERO } from '../../rfc';
import type { Problemas } from '../../validar';
import * as ccp from './catalogos.generated';
import { CAMPOS_COFEPRIS, type CartaPorteParcial, type DomicilioParcial, type MercanciaParcial } from './modelo';

/** HexaFac's codes beyond the matrix. */
export const HFX = {
  /** A clave outside its Carta Porte catalog where the matrix has no code (the XSD's enumeration). */
  catalogo: 'HFX_CLAVE_CATALOGO',
  /** Marítimo, aéreo and ferroviario are not supported yet. */
  transporte: 'HFX_TRANSPORTE_NO_SOPORTADO',
  /** A value the XSD's pattern refuses (e.g. BienesTransp is 8 digits). */
  formato: 'HFX_FORMATO',
} as const;

/** Who issues and receives the CFDI that carries the complemento, and what its conceptos are. */
export interface ContextoCartaPorte {
  tipo: 'I' | 'T';
  fecha: string;
  emisor: Emisor;
  clavesConceptos: readonly (string | undefined)[];
}

/** CP109: the claves de servicio of a freight ingreso. */
export const CLAVES_FLETE = new Set(
  ('78101500 78101501 78101502 78101503 78101600 78101601 78101602 78101603 78101604 78101700 78101701 78101702 78101703 ' +
    '78101704 78101705 78101706 78101800 78101801 78101802 78101803 78101804 78101806 78101807 78101900 78101901 78101902 ' +
    '78101903 78101904 78101905 78102200 78102201 78102203 78102204 78102205 78121603 78141500 78141501 84121806 92121800 ' +
    '92121801 92121802').split(' '),
);
/** CP110: intermodal freight, which needs more than one means of transport. */
const CLAVES_INTERMODAL = new Set(['78101900', '78101901', '78101902', '78101903', '78101904']);
/** CP177: empaques and estibas moved in a traslado carry their GuiasIdentificacion. */
const CLAVES_GUIAS = new Set(['31181701', '24112700']);

/** CP159–CP163: the fields each SectorCOFEPRIS requires (and, for the other sectors, forbids). */
const COFEPRIS: Record<string, { codigo: string; campos: readonly (typeof CAMPOS_COFEPRIS)[number][] }> = {
  '01': { codigo: 'CP159', campos: ['denominacion_generica_prod', 'denominacion_distintiva_prod', 'fabricante', 'fecha_caducidad', 'lote_medicamento', 'forma_farmaceutica', 'condiciones_esp_transp', 'registro_sanitario_folio_autorizacion'] },
  '02': { codigo: 'CP160', campos: ['nombre_ingrediente_activo', 'nom_quimico', 'fabricante', 'fecha_caducidad', 'lote_medicamento', 'forma_farmaceutica', 'condiciones_esp_transp'] },
  '03': { codigo: 'CP161', campos: ['denominacion_generica_prod', 'denominacion_distintiva_prod', 'fabricante', 'fecha_caducidad', 'lote_medicamento', 'forma_farmaceutica', 'condiciones_esp_transp', 'registro_sanitario_folio_autorizacion'] },
  '04': { codigo: 'CP162', campos: ['nom_quimico', 'num_cas'] },
  '05': { codigo: 'CP163', campos: ['nombre_ingrediente_activo', 'num_reg_san_plag_cofepris', 'datos_fabricante', 'datos_formulador', 'datos_maquilador', 'uso_autorizado'] },
};
/** CP164–CP166: what an import (TranspInternac Sí, Entrada) of each sector carries. */
const IMPORTACION_COFEPRIS = [
  { campo: 'permiso_importacion', sectores: ['01', '02', '03'], codigo: 'CP164' },
  { campo: 'folio_impo_vucem', sectores: ['01', '02', '04', '05'], codigo: 'CP165' },
  { campo: 'razon_social_emp_imp', sectores: ['04'], codigo: 'CP166' },
] as const;

const claves = (filas: readonly { id: string }[]) => new Set(filas.map((f) => f.id));
const CATALOGO = {
  materialPeligroso: claves(ccp.materialesPeligrosos),
  embalaje: claves(ccp.tiposEmbalaje),
  subtipoRemolque: claves(ccp.subtiposRemolque),
  figura: claves(ccp.figurasTransporte),
  parte: claves(ccp.partesTransporte),
  documento: claves(ccp.documentosAduaneros),
  materia: claves(ccp.tiposMateria),
  transporte: claves(ccp.transportes),
  sector: claves(ccp.sectoresCofepris),
  unidadPeso: claves(ccp.clavesUnidadPeso),
  municipio: new Set(ccp.municipios),
  localidad: new Set(ccp.localidades),
};
const configuracion = new Map(ccp.configuracionesAutotransporte.map((c) => [c.id, c]));
const permiso = new Map(ccp.tiposPermiso.map((c) => [c.id, c]));
const regimen = new Map(ccp.regimenesAduaneros.map((c) => [c.id, c]));
const estado = (id: string, pais: string) => cat.catalogos.estados.some((e) => e.id === id && e.pais === pais);

/** The codes of the domicilio rules, for an Ubicacion (CP143–CP147) and for a TiposFigura (CP200–CP204). */
const CODIGOS_DOMICILIO = {
  ubicacion: { colonia: 'CP143', localidad: 'CP144', municipio: 'CP145', estado: 'CP146', cp: 'CP147' },
  figura: { colonia: 'CP200', localidad: 'CP201', municipio: 'CP202', estado: 'CP203', cp: 'CP204' },
} as const;

/**
 * A Domicilio against the catalogs HexaFac has: c_Estado, c_Municipio, c_Localidad and c_CodigoPostal (its
 * estado, municipio and localidad). c_Colonia is not published as data: only its clave's format (4 digits).
 */
function validarDomicilio(p: Problemas, ruta: string, d: DomicilioParcial, tipo: keyof typeof CODIGOS_DOMICILIO): void {
  const c = CODIGOS_DOMICILIO[tipo];
  const pais = d.pais;
  if (pais === undefined) return;
  if (!cat.pais(pais)) p.add(`${ruta}.pais`, `${pais} no es una clave de c_Pais.`, HFX.catalogo);
  if (['MEX', 'USA', 'CAN'].includes(pais) && d.estado !== undefined && !estado(d.estado, pais)) {
    p.add(`${ruta}.estado`, `${d.estado} no es una clave de c_Estado de ${pais}.`, c.estado);
  }
  if (pais !== 'MEX') return;
  if (d.colonia !== undefined && !/^\d{4}$/.test(d.colonia)) p.add(`${ruta}.colonia`, 'En México la colonia es una clave de c_Colonia (4 dígitos).', c.colonia);
  if (d.municipio === undefined) p.add(`${ruta}.municipio`, 'En México se registra la clave de c_Municipio.', c.municipio);
  else if (d.estado !== undefined && !CATALOGO.municipio.has(`${d.municipio}|${d.estado}`)) {
    p.add(`${ruta}.municipio`, `${d.municipio} no es una clave de c_Municipio del estado ${d.estado}.`, c.municipio);
  }
  if (d.localidad !== undefined && d.estado !== undefined && !CATALOGO.localidad.has(`${d.localidad}|${d.estado}`)) {
    p.add(`${ruta}.localidad`, `${d.localidad} no es una clave de c_Localidad del estado ${d.estado}.`, c.localidad);
  }
  if (d.codigo_postal === undefined) return;
  const cp = cat.codigoPostal(d.codigo_postal);
  if (!cp) p.add(`${ruta}.codigo_postal`, `${d.codigo_postal} no es un código postal de c_CodigoPostal.`, c.cp);
  else if (d.estado !== undefined && cp.estado !== d.estado) p.add(`${ruta}.codigo_postal`, `El código postal ${cp.id} es del estado ${cp.estado}, no de ${d.estado}.`, c.cp);
  else if (d.municipio !== undefined && cp.municipio && cp.municipio !== d.municipio) {
    p.add(`${ruta}.codigo_postal`, `El código postal ${cp.id} es del municipio ${cp.municipio}, no de ${d.municipio}.`, c.cp);
  } else if (d.localidad !== undefined && cp.localidad && cp.localidad !== d.localidad) {
    p.add(`${ruta}.codigo_postal`, `El código postal ${cp.id} es de la localidad ${cp.localidad}, no de ${d.localidad}.`, c.cp);
  }
}

/** An RFC's format (the matrix's l_RFC check is the PAC's); a generic one is always accepted. */
function validarRfc(p: Problemas, ruta: string, rfc: string | undefined, codigo: string): void {
  if (rfc === undefined) return;
  const problema = problemaRfc(rfc);
  if (problema) p.add(ruta, problema.message, codigo);
}

/** NumRegIdTrib and ResidenciaFiscal of a foreign party (CP133/CP134, CP197/CP198). */
function validarExtranjero(
  p: Problemas,
  ruta: string,
  x: { numRegIdTrib?: string; residencia?: string },
  campos: { numRegIdTrib: string; residencia: string },
  codigos: { residencia: string },
): void {
  if (x.residencia !== undefined && x.numRegIdTrib === undefined) p.add(`${ruta}.${campos.residencia}`, `Solo se registra con ${campos.numRegIdTrib}.`, codigos.residencia);
  if (x.numRegIdTrib === undefined) return;
  if (x.residencia === undefined) p.add(`${ruta}.${campos.residencia}`, `Obligatoria con ${campos.numRegIdTrib}.`, codigos.residencia);
  else if (x.residencia === 'MEX' || !cat.pais(x.residencia)) p.add(`${ruta}.${campos.residencia}`, 'Debe ser una clave de c_Pais distinta de MEX.', codigos.residencia);
}

function validarComprobante(p: Problemas, ctx: ContextoCartaPorte): void {
  if (ctx.tipo !== 'I') return;
  ctx.clavesConceptos.forEach((clave, i) => {
    if (clave !== undefined && !CLAVES_FLETE.has(clave)) {
      p.add(`conceptos[${i}].clave_prod_serv`, `Un ingreso con Carta Porte factura el flete con una clave de servicio de transporte (p. ej. 78101800), no ${clave}.`, 'CP109');
    } else if (clave !== undefined && CLAVES_INTERMODAL.has(clave)) {
      p.add(`conceptos[${i}].clave_prod_serv`, 'El transporte intermodal requiere más de un medio de transporte; solo se admite autotransporte.', 'CP110');
    }
  });
}

function validarInternacional(p: Problemas, cp: CartaPorteParcial): void {
  const internacional = cp.transp_internac === 'Sí';
  const r = 'carta_porte';
  if (cp.transp_internac === undefined) return;
  if (internacional) {
    if (cp.entrada_salida_merc === undefined) p.add(`${r}.entrada_salida_merc`, 'Obligatorio en un transporte internacional.', 'CP119');
    if (cp.pais_origen_destino === undefined || !cat.pais(cp.pais_origen_destino)) p.add(`${r}.pais_origen_destino`, 'Obligatorio en un transporte internacional: una clave de c_Pais.', 'CP121');
    if (cp.via_entrada_salida === undefined || !CATALOGO.transporte.has(cp.via_entrada_salida)) {
      p.add(`${r}.via_entrada_salida`, 'Obligatoria en un transporte internacional: una clave de c_CveTransporte.', 'CP123');
    }
    if (cp.regimenes_aduaneros === undefined || cp.regimenes_aduaneros.length === 0) {
      p.add(`${r}.regimenes_aduaneros`, 'Obligatorios en un transporte internacional.', cp.entrada_salida_merc === undefined ? 'CP116' : 'CP117');
    }
  } else {
    if (cp.regimenes_aduaneros !== undefined) p.add(`${r}.regimenes_aduaneros`, 'Solo en un transporte internacional.', 'CP116');
    if (cp.entrada_salida_merc !== undefined) p.add(`${r}.entrada_salida_merc`, 'Solo en un transporte internacional.', 'CP120');
    if (cp.pais_origen_destino !== undefined) p.add(`${r}.pais_origen_destino`, 'Solo en un transporte internacional.', 'CP122');
    if (cp.via_entrada_salida !== undefined) p.add(`${r}.via_entrada_salida`, 'Solo en un transporte internacional.', 'CP124');
  }
  const sentido = cp.entrada_salida_merc;
  cp.regimenes_aduaneros?.forEach((id, i) => {
    const reg = regimen.get(id);
    const ruta = `${r}.regimenes_aduaneros[${i}]`;
    if (!reg) p.add(ruta, `${id} no es una clave de c_RegimenAduanero.`, 'CP117');
    else if (sentido !== undefined && !reg.impoExpo.includes(sentido)) p.add(ruta, `El régimen ${id} no es de ${sentido.toLowerCase()}.`, sentido === 'Entrada' ? 'CP118' : 'CP169');
  });
}

function validarUbicaciones(p: Problemas, cp: CartaPorteParcial): void {
  const ubicaciones = cp.ubicaciones ?? [];
  const tipos = ubicaciones.map((u) => u.tipo_ubicacion);
  if (cp.ubicaciones !== undefined && (!tipos.includes('Origen') || !tipos.includes('Destino'))) {
    p.add('carta_porte.ubicaciones', 'Se registra al menos un origen y un destino.', 'CP130');
  }
  const conCantidades = (cp.mercancias?.mercancia ?? []).some((m) => m.cantidad_transporta !== undefined);
  ubicaciones.forEach((u, i) => {
    const r = `carta_porte.ubicaciones[${i}]`;
    if (conCantidades && u.id_ubicacion === undefined) p.add(`${r}.id_ubicacion`, 'Obligatorio cuando las mercancías registran CantidadTransporta.', 'CP131');
    if (u.id_ubicacion !== undefined && u.tipo_ubicacion !== undefined && !u.id_ubicacion.startsWith(u.tipo_ubicacion === 'Origen' ? 'OR' : 'DE')) {
      p.add(`${r}.id_ubicacion`, `Un ${u.tipo_ubicacion.toLowerCase()} se identifica con ${u.tipo_ubicacion === 'Origen' ? 'OR' : 'DE'} y 6 dígitos.`, HFX.formato);
    }
    validarRfc(p, `${r}.rfc_remitente_destinatario`, u.rfc_remitente_destinatario, 'CP132');
    const extranjero = u.rfc_remitente_destinatario === RFC_EXTRANJERO;
    if (extranjero && u.num_reg_id_trib === undefined) p.add(`${r}.num_reg_id_trib`, `Obligatorio con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CP133');
    if (!extranjero && u.rfc_remitente_destinatario !== undefined && u.num_reg_id_trib !== undefined) {
      p.add(`${r}.num_reg_id_trib`, `Solo con el RFC genérico extranjero ${RFC_EXTRANJERO}.`, 'CP133');
    }
    validarExtranjero(p, r, { numRegIdTrib: u.num_reg_id_trib, residencia: u.residencia_fiscal }, { numRegIdTrib: 'num_reg_id_trib', residencia: 'residencia_fiscal' }, { residencia: 'CP134' });
    if (u.num_estacion !== undefined) p.add(`${r}.num_estacion`, 'En autotransporte no se registra estación.', 'CP135');
    if (u.tipo_ubicacion === 'Destino' && u.distancia_recorrida === undefined) p.add(`${r}.distancia_recorrida`, 'Obligatoria en cada destino del autotransporte.', 'CP141');
    if (u.tipo_ubicacion === 'Origen' && u.distancia_recorrida !== undefined) p.add(`${r}.distancia_recorrida`, 'Solo se registra en los destinos.', 'CP141');
    if (u.distancia_recorrida !== undefined && dec(u.distancia_recorrida).lt('0.01')) p.add(`${r}.distancia_recorrida`, 'Debe ser al menos 0.01 km.', HFX.formato);
    if (u.domicilio === undefined) p.add(`${r}.domicilio`, 'Obligatorio en autotransporte.', 'CP142');
    else validarDomicilio(p, `${r}.domicilio`, u.domicilio, 'ubicacion');
  });
}

function validarMercancia(p: Problemas, r: string, m: MercanciaParcial, cp: CartaPorteParcial, ids: { origen: Set<string>; destino: Set<string> }): void {
  // c_ClaveProdServCP's "Material peligroso" column is not published as data (CP155): its format only.
  if (m.bienes_transp !== undefined && !/^\d{8}$/.test(m.bienes_transp)) p.add(`${r}.bienes_transp`, 'Debe ser una clave de c_ClaveProdServCP (8 dígitos).', HFX.formato);
  if (m.clave_unidad !== undefined && !cat.claveUnidad(m.clave_unidad)) p.add(`${r}.clave_unidad`, `${m.clave_unidad} no es una clave de c_ClaveUnidad.`, HFX.catalogo);
  const peligroso = m.material_peligroso === 'Sí';
  if (peligroso && m.cve_material_peligroso === undefined) p.add(`${r}.cve_material_peligroso`, 'Obligatoria para un material peligroso.', 'CP156');
  else if (!peligroso && m.cve_material_peligroso !== undefined) p.add(`${r}.cve_material_peligroso`, 'Solo si material_peligroso es Sí.', 'CP156');
  else if (m.cve_material_peligroso !== undefined && !CATALOGO.materialPeligroso.has(m.cve_material_peligroso)) {
    p.add(`${r}.cve_material_peligroso`, `${m.cve_material_peligroso} no es una clave de c_MaterialPeligroso.`, 'CP156');
  }
  const conClave = m.cve_material_peligroso !== undefined;
  if (conClave && m.embalaje === undefined) p.add(`${r}.embalaje`, 'Obligatorio con la clave de material peligroso.', 'CP157');
  else if (!conClave && m.embalaje !== undefined) p.add(`${r}.embalaje`, 'Solo con una clave de material peligroso.', 'CP157');
  else if (m.embalaje !== undefined && !CATALOGO.embalaje.has(m.embalaje)) p.add(`${r}.embalaje`, `${m.embalaje} no es una clave de c_TipoEmbalaje.`, 'CP157');

  const sector = m.sector_cofepris;
  if (sector !== undefined && !CATALOGO.sector.has(sector)) p.add(`${r}.sector_cofepris`, `${sector} no es una clave de c_SectorCOFEPRIS.`, 'CP158');
  const requeridos = new Set<string>(sector !== undefined ? (COFEPRIS[sector]?.campos ?? []) : []);
  for (const campo of CAMPOS_COFEPRIS) {
    if (IMPORTACION_COFEPRIS.some((x) => x.campo === campo)) continue;
    const regla = sector !== undefined ? COFEPRIS[sector] : undefined;
    if (requeridos.has(campo) && m[campo] === undefined) p.add(`${r}.${campo}`, `Obligatorio con el sector COFEPRIS ${sector}.`, regla!.codigo);
    else if (!requeridos.has(campo) && m[campo] !== undefined) {
      const propio = Object.values(COFEPRIS).find((x) => x.campos.includes(campo))!;
      p.add(`${r}.${campo}`, `No corresponde al sector COFEPRIS ${sector ?? '(ninguno)'}.`, regla?.codigo ?? propio.codigo);
    }
  }
  const importacion = cp.transp_internac === 'Sí' && cp.entrada_salida_merc === 'Entrada';
  for (const x of IMPORTACION_COFEPRIS) {
    const debe = importacion && sector !== undefined && (x.sectores as readonly string[]).includes(sector);
    if (debe && m[x.campo] === undefined) p.add(`${r}.${x.campo}`, `Obligatorio al importar mercancía del sector COFEPRIS ${sector}.`, x.codigo);
    else if (!debe && m[x.campo] !== undefined) p.add(`${r}.${x.campo}`, 'Solo al importar mercancía de los sectores COFEPRIS que lo piden.', x.codigo);
  }

  if (m.valor_mercancia !== undefined && m.moneda === undefined) p.add(`${r}.moneda`, 'Obligatoria con el valor de la mercancía.', 'CP168');
  if (m.moneda !== undefined && !cat.moneda(m.moneda)) p.add(`${r}.moneda`, `${m.moneda} no es una clave de c_Moneda.`, HFX.catalogo);

  const internacional = cp.transp_internac === 'Sí';
  if (internacional && m.tipo_materia === undefined) p.add(`${r}.tipo_materia`, 'Obligatorio en un transporte internacional.', 'CP170');
  else if (!internacional && m.tipo_materia !== undefined) p.add(`${r}.tipo_materia`, 'Solo en un transporte internacional.', 'CP170');
  else if (m.tipo_materia !== undefined && !CATALOGO.materia.has(m.tipo_materia)) p.add(`${r}.tipo_materia`, `${m.tipo_materia} no es una clave de c_TipoMateria.`, 'CP170');
  if (m.tipo_materia === '05' && m.descripcion_materia === undefined) p.add(`${r}.descripcion_materia`, 'Obligatoria con tipo de materia 05 (Otra).', 'CP171');
  else if (m.tipo_materia !== '05' && m.descripcion_materia !== undefined) p.add(`${r}.descripcion_materia`, 'Solo con tipo de materia 05 (Otra).', 'CP171');

  validarDocumentacion(p, r, m, cp);

  m.cantidad_transporta?.forEach((c, j) => {
    const rc = `${r}.cantidad_transporta[${j}]`;
    if (c.id_origen !== undefined && !ids.origen.has(c.id_origen)) p.add(`${rc}.id_origen`, `${c.id_origen} no es el id_ubicacion de un origen.`, 'CP178');
    if (c.id_destino !== undefined && !ids.destino.has(c.id_destino)) p.add(`${rc}.id_destino`, `${c.id_destino} no es el id_ubicacion de un destino.`, 'CP179');
    if (c.cves_transporte !== undefined) p.add(`${rc}.cves_transporte`, 'Solo cuando hay más de un medio de transporte.', 'CP180');
  });
}

/** DocumentacionAduanera of one Mercancia (CP172–CP176). */
function validarDocumentacion(p: Problemas, r: string, m: MercanciaParcial, cp: CartaPorteParcial): void {
  const docs = m.documentacion_aduanera;
  const internacional = cp.transp_internac === 'Sí';
  const sentido = cp.entrada_salida_merc;
  if (internacional && sentido === 'Entrada' && (docs === undefined || docs.length === 0)) p.add(`${r}.documentacion_aduanera`, 'Obligatoria al importar.', 'CP172');
  if (!internacional && docs !== undefined) p.add(`${r}.documentacion_aduanera`, 'Solo en un transporte internacional.', 'CP172');
  docs?.forEach((d, j) => {
    const rd = `${r}.documentacion_aduanera[${j}]`;
    const tipo = d.tipo_documento;
    if (tipo !== undefined && !CATALOGO.documento.has(tipo)) p.add(`${rd}.tipo_documento`, `${tipo} no es una clave de c_DocumentoAduanero.`, HFX.catalogo);
    if (sentido === 'Salida' && tipo === '01') p.add(`${rd}.tipo_documento`, 'En una salida el documento no es un pedimento (01).', 'CP173');
    const pedimento = sentido === 'Entrada' && tipo === '01';
    if (pedimento && d.num_pedimento === undefined) p.add(`${rd}.num_pedimento`, 'Obligatorio con un pedimento de importación.', 'CP174');
    else if (!pedimento && d.num_pedimento !== undefined) p.add(`${rd}.num_pedimento`, 'Solo con un pedimento (01) de importación.', 'CP174');
    else if (d.num_pedimento !== undefined) validarPedimento(p, `${rd}.num_pedimento`, d.num_pedimento);
    if (tipo !== undefined && tipo !== '01' && d.ident_doc_aduanero === undefined) p.add(`${rd}.ident_doc_aduanero`, 'Obligatorio con un documento que no es pedimento.', 'CP175');
    else if (tipo === '01' && d.ident_doc_aduanero !== undefined) p.add(`${rd}.ident_doc_aduanero`, 'No se registra con un pedimento (01).', 'CP175');
    if (d.num_pedimento !== undefined && d.rfc_impo === undefined) p.add(`${rd}.rfc_impo`, 'Obligatorio con el número de pedimento.', 'CP176');
    else if (d.num_pedimento === undefined && d.rfc_impo !== undefined) p.add(`${rd}.rfc_impo`, 'Solo con el número de pedimento.', 'CP176');
    else validarRfc(p, `${rd}.rfc_impo`, d.rfc_impo, 'CP176');
  });
}

/**
 * NumPedimento: the XSD's "AA  AD  PPPP  NNNNNNN" (two spaces between groups) with a year not after the
 * current one. c_Aduana, c_PatenteAduanal and c_NumPedimentoAduana are not among HexaFac's catalogs.
 */
function validarPedimento(p: Problemas, ruta: string, valor: string): void {
  const m = /^(\d{2}) {2}\d{2} {2}\d{4} {2}\d{7}$/.exec(valor);
  if (!m) p.add(ruta, 'Debe tener la forma "AA  AD  PPPP  NNNNNNN" (dos espacios entre grupos).', 'CP174');
  else if (Number(m[1]) > new Date().getUTCFullYear() % 100) p.add(ruta, 'El año del pedimento no puede ser posterior al actual.', 'CP174');
}

function validarMercancias(p: Problemas, cp: CartaPorteParcial, ctx: ContextoCartaPorte): void {
  const ms = cp.mercancias;
  if (ms === undefined) return;
  for (const medio of ['transporte_maritimo', 'transporte_aereo', 'transporte_ferroviario'] as const) {
    if (ms[medio] !== undefined) p.add(`carta_porte.mercancias.${medio}`, 'Solo se admite autotransporte federal (mercancias.autotransporte).', HFX.transporte);
  }
  if (ms.autotransporte === undefined) p.add('carta_porte.mercancias.autotransporte', 'Se registra el autotransporte (el único medio admitido).', 'CP148');
  if (ms.unidad_peso !== undefined && !CATALOGO.unidadPeso.has(ms.unidad_peso)) p.add('carta_porte.mercancias.unidad_peso', `${ms.unidad_peso} no es una clave de c_ClaveUnidadPeso.`, HFX.catalogo);
  const ubicaciones = cp.ubicaciones ?? [];
  const ids = {
    origen: new Set(ubicaciones.filter((u) => u.tipo_ubicacion === 'Origen').flatMap((u) => u.id_ubicacion ?? [])),
    destino: new Set(ubicaciones.filter((u) => u.tipo_ubicacion === 'Destino').flatMap((u) => u.id_ubicacion ?? [])),
  };
  (ms.mercancia ?? []).forEach((m, i) => validarMercancia(p, `carta_porte.mercancias.mercancia[${i}]`, m, cp, ids));
  if (ctx.tipo === 'T' && ctx.clavesConceptos.some((c) => c !== undefined && CLAVES_GUIAS.has(c)) && !(ms.mercancia ?? []).some((m) => m.guias_identificacion?.length)) {
    p.add('carta_porte.mercancias.mercancia', 'Un traslado de empaques (31181701) o estibas (24112700) registra sus guías de identificación.', 'CP177');
  }
  if (ms.autotransporte !== undefined) validarAutotransporte(p, cp);
}

function validarAutotransporte(p: Problemas, cp: CartaPorteParcial): void {
  const a = cp.mercancias!.autotransporte!;
  const r = 'carta_porte.mercancias.autotransporte';
  if (a.perm_sct !== undefined && !permiso.get(a.perm_sct)?.transportes.includes('01')) p.add(`${r}.perm_sct`, `${a.perm_sct} no es un permiso de autotransporte de c_TipoPermiso.`, HFX.catalogo);
  const peligroso = (cp.mercancias?.mercancia ?? []).some((m) => m.material_peligroso === 'Sí');
  const s = a.seguros;
  if (s !== undefined) {
    if (peligroso && s.asegura_med_ambiente === undefined) p.add(`${r}.seguros.asegura_med_ambiente`, 'Obligatoria al transportar material peligroso.', 'CP182');
    else if (!peligroso && s.asegura_med_ambiente !== undefined) p.add(`${r}.seguros.asegura_med_ambiente`, 'Solo al transportar material peligroso.', 'CP182');
    if (s.asegura_med_ambiente !== undefined && s.poliza_med_ambiente === undefined) p.add(`${r}.seguros.poliza_med_ambiente`, 'Obligatoria con la aseguradora de medio ambiente.', 'CP183');
    else if (s.asegura_med_ambiente === undefined && s.poliza_med_ambiente !== undefined) p.add(`${r}.seguros.poliza_med_ambiente`, 'Solo con la aseguradora de medio ambiente.', 'CP183');
  }
  const config = a.identificacion_vehicular?.config_vehicular;
  if (config !== undefined) {
    const c = configuracion.get(config);
    if (!c) p.add(`${r}.identificacion_vehicular.config_vehicular`, `${config} no es una clave de c_ConfigAutotransporte.`, HFX.catalogo);
    else if (c.remolque === '1' && a.remolques === undefined) p.add(`${r}.remolques`, `La configuración ${config} lleva remolque.`, 'CP184');
    else if (c.remolque === '0' && a.remolques !== undefined) p.add(`${r}.remolques`, `La configuración ${config} no lleva remolque.`, 'CP184');
  }
  a.remolques?.forEach((rem, i) => {
    if (rem.sub_tipo_rem !== undefined && !CATALOGO.subtipoRemolque.has(rem.sub_tipo_rem)) p.add(`${r}.remolques[${i}].sub_tipo_rem`, `${rem.sub_tipo_rem} no es una clave de c_SubTipoRem.`, HFX.catalogo);
  });
}

function validarFiguras(p: Problemas, cp: CartaPorteParcial): void {
  const figuras = cp.figura_transporte;
  if (figuras === undefined || figuras.length === 0) {
    p.add('carta_porte.figura_transporte', 'Obligatoria en autotransporte, con el operador (01).', 'CP193');
    return;
  }
  if (!figuras.some((f) => f.tipo_figura === '01')) p.add('carta_porte.figura_transporte', 'Se registra al menos un operador (tipo_figura 01).', 'CP194');
  figuras.forEach((f, i) => {
    const r = `carta_porte.figura_transporte[${i}]`;
    if (f.tipo_figura !== undefined && !CATALOGO.figura.has(f.tipo_figura)) p.add(`${r}.tipo_figura`, `${f.tipo_figura} no es una clave de c_FiguraTransporte.`, HFX.catalogo);
    validarRfc(p, `${r}.rfc_figura`, f.rfc_figura, 'CP195');
    if (f.tipo_figura === '01' && f.num_licencia === undefined) p.add(`${r}.num_licencia`, 'Obligatoria para el operador.', 'CP196');
    else if (f.tipo_figura !== undefined && f.tipo_figura !== '01' && f.num_licencia !== undefined) p.add(`${r}.num_licencia`, 'Solo para el operador (01).', 'CP196');
    if (f.rfc_figura === undefined && f.num_reg_id_trib_figura === undefined) p.add(`${r}.num_reg_id_trib_figura`, 'Obligatorio si la figura no tiene RFC.', 'CP197');
    validarExtranjero(
      p, r, { numRegIdTrib: f.num_reg_id_trib_figura, residencia: f.residencia_fiscal_figura },
      { numRegIdTrib: 'num_reg_id_trib_figura', residencia: 'residencia_fiscal_figura' }, { residencia: 'CP198' },
    );
    const propietario = f.tipo_figura === '02' || f.tipo_figura === '03';
    if (propietario && !f.partes_transporte?.length) p.add(`${r}.partes_transporte`, 'Obligatorias para el propietario (02) o arrendador (03).', 'CP199');
    else if (!propietario && f.tipo_figura !== undefined && f.partes_transporte !== undefined) p.add(`${r}.partes_transporte`, 'Solo para el propietario (02) o arrendador (03).', 'CP199');
    f.partes_transporte?.forEach((parte, j) => {
      if (!CATALOGO.parte.has(parte)) p.add(`${r}.partes_transporte[${j}]`, `${parte} no es una clave de c_ParteTransporte.`, HFX.catalogo);
    });
    if (f.domicilio !== undefined) validarDomicilio(p, `${r}.domicilio`, f.domicilio, 'figura');
  });
}

/** Every Carta Porte rule checkable before stamping, over `carta_porte` as far as it parsed. */
export function validarCartaPorte(p: Problemas, cp: CartaPorteParcial, ctx: ContextoCartaPorte): void {
  validarComprobante(p, ctx);
  validarInternacional(p, cp);
  validarUbicaciones(p, cp);
  validarMercancias(p, cp, ctx);
  validarFiguras(p, cp);
}
