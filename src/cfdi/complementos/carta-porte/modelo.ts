/**
 * Complemento Carta Porte 3.1 (autotransporte federal): the JSON input `carta_porte` of a traslado (T) or
 * a freight ingreso (I), its shape only (the rules are validar.ts's), and the computed complement named as
 * in CartaPorte31.xsd, camelCased; numbers are decimal strings as written in the XML.
 */
import { z } from 'zod';
import { clave, decimal, objeto, patron, texto, UUID, type Parcial } from '../../entrada';

/** CartaPorte31.xsd IdCCP: "CCC" and the last 33 characters of an RFC 4122 UUID. */
export const ID_CCP = /^C{3}[a-fA-F0-9]{5}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const SI_NO = z.enum(['Sí', 'No']);
// CartaPorte31.xsd's placa pattern [^(?!.*\s)-]{5,7}: 5 to 7 characters, no hyphen, no space.
const PLACA = /^[^\s-]{5,7}$/;

const DomicilioEntradaSchema = objeto({
  calle: texto(100).optional(),
  numero_exterior: texto(55).optional(),
  numero_interior: texto(55).optional(),
  colonia: texto(120).optional(),
  localidad: texto(120).optional(),
  referencia: texto(250).optional(),
  municipio: texto(120).optional(),
  estado: texto(30),
  pais: clave().default('MEX'),
  codigo_postal: texto(12),
});

const UbicacionEntradaSchema = objeto({
  tipo_ubicacion: z.enum(['Origen', 'Destino']),
  id_ubicacion: patron(/^(OR|DE)[0-9]{6}$/, 'Debe ser OR o DE seguido de 6 dígitos').optional(),
  rfc_remitente_destinatario: clave(),
  nombre_remitente_destinatario: texto(254).optional(),
  num_reg_id_trib: texto(40).optional(),
  residencia_fiscal: clave().optional(),
  num_estacion: clave().optional(),
  fecha_hora_salida_llegada: patron(/^20[1-9]\d-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'Debe ser AAAA-MM-DDThh:mm:ss'),
  distancia_recorrida: decimal(2).optional(),
  domicilio: DomicilioEntradaSchema.optional(),
});

const DocumentacionAduaneraEntradaSchema = objeto({
  tipo_documento: clave(),
  num_pedimento: clave().optional(),
  ident_doc_aduanero: texto(150).optional(),
  rfc_impo: clave().optional(),
});

const CantidadTransportaEntradaSchema = objeto({
  cantidad: decimal(6),
  id_origen: patron(/^OR[0-9]{6}$/, 'Debe ser OR seguido de 6 dígitos'),
  id_destino: patron(/^DE[0-9]{6}$/, 'Debe ser DE seguido de 6 dígitos'),
  cves_transporte: clave().optional(),
});

/** SectorCOFEPRIS's fields (CP159–CP166), in the XSD's order. */
export const CAMPOS_COFEPRIS = [
  'nombre_ingrediente_activo', 'nom_quimico', 'denominacion_generica_prod', 'denominacion_distintiva_prod', 'fabricante',
  'fecha_caducidad', 'lote_medicamento', 'forma_farmaceutica', 'condiciones_esp_transp', 'registro_sanitario_folio_autorizacion',
  'permiso_importacion', 'folio_impo_vucem', 'num_cas', 'razon_social_emp_imp', 'num_reg_san_plag_cofepris', 'datos_fabricante',
  'datos_formulador', 'datos_maquilador', 'uso_autorizado',
] as const;

const MercanciaEntradaSchema = objeto({
  bienes_transp: clave(),
  clave_stcc: patron(/^[0-9]{6,7}$/, 'Debe tener 6 o 7 dígitos').optional(),
  descripcion: texto(1000),
  cantidad: decimal(6),
  clave_unidad: clave(),
  unidad: texto(20).optional(),
  dimensiones: patron(/^([0-9]{1,3}\/){2}[0-9]{1,3}(cm|plg)$/, 'Debe ser largo/alto/ancho en cm o plg (p. ej. 30/40/50cm)').optional(),
  material_peligroso: SI_NO.optional(),
  cve_material_peligroso: clave().optional(),
  embalaje: clave().optional(),
  descrip_embalaje: texto(100).optional(),
  sector_cofepris: clave().optional(),
  nombre_ingrediente_activo: texto(1000).optional(),
  nom_quimico: texto(150).optional(),
  denominacion_generica_prod: texto(50).optional(),
  denominacion_distintiva_prod: texto(50).optional(),
  fabricante: texto(240).optional(),
  fecha_caducidad: patron(/^\d{4}-\d{2}-\d{2}$/, 'Debe ser AAAA-MM-DD').optional(),
  lote_medicamento: texto(10).optional(),
  forma_farmaceutica: clave().optional(),
  condiciones_esp_transp: clave().optional(),
  registro_sanitario_folio_autorizacion: texto(15).optional(),
  permiso_importacion: texto(6).optional(),
  folio_impo_vucem: texto(25).optional(),
  num_cas: texto(15).optional(),
  razon_social_emp_imp: texto(80).optional(),
  num_reg_san_plag_cofepris: texto(60).optional(),
  datos_fabricante: texto(600).optional(),
  datos_formulador: texto(600).optional(),
  datos_maquilador: texto(600).optional(),
  uso_autorizado: texto(1000).optional(),
  peso_en_kg: decimal(3),
  valor_mercancia: decimal(6).optional(),
  moneda: clave().optional(),
  fraccion_arancelaria: clave().optional(),
  uuid_comercio_ext: patron(UUID, 'UUID inválido').optional(),
  tipo_materia: clave().optional(),
  descripcion_materia: texto(50).optional(),
  documentacion_aduanera: z.array(DocumentacionAduaneraEntradaSchema).optional(),
  guias_identificacion: z
    .array(objeto({ numero_guia_identificacion: texto(30), descrip_guia_identificacion: texto(1000), peso_guia_identificacion: decimal(3) }))
    .optional(),
  cantidad_transporta: z.array(CantidadTransportaEntradaSchema).optional(),
});

const AutotransporteEntradaSchema = objeto({
  perm_sct: clave(),
  num_permiso_sct: texto(50),
  identificacion_vehicular: objeto({
    config_vehicular: clave(),
    peso_bruto_vehicular: decimal(2),
    placa_vm: patron(PLACA, 'Debe tener de 5 a 7 caracteres, sin guiones ni espacios'),
    anio_modelo_vm: patron(/^(19|20)[0-9]{2}$/, 'Debe ser un año de 4 dígitos'),
  }),
  seguros: objeto({
    asegura_resp_civil: texto(50),
    poliza_resp_civil: texto(30),
    asegura_med_ambiente: texto(50).optional(),
    poliza_med_ambiente: texto(30).optional(),
    asegura_carga: texto(50).optional(),
    poliza_carga: texto(30).optional(),
    prima_seguro: decimal(6).optional(),
  }),
  remolques: z
    .array(objeto({ sub_tipo_rem: clave(), placa: patron(PLACA, 'Debe tener de 5 a 7 caracteres, sin guiones ni espacios') }))
    .min(1)
    .max(2)
    .optional(),
});

const FiguraEntradaSchema = objeto({
  tipo_figura: clave(),
  rfc_figura: clave().optional(),
  num_licencia: texto(16).optional(),
  nombre_figura: texto(254),
  num_reg_id_trib_figura: texto(40).optional(),
  residencia_fiscal_figura: clave().optional(),
  partes_transporte: z.array(clave()).optional(),
  domicilio: DomicilioEntradaSchema.optional(),
});

export const CartaPorteEntradaSchema = objeto({
  /** Given only to keep the IdCCP of an earlier attempt; otherwise generated. */
  id_ccp: patron(ID_CCP, 'Debe ser CCC seguido de los últimos 33 caracteres de un UUID').optional(),
  transp_internac: SI_NO.default('No'),
  regimenes_aduaneros: z.array(clave()).max(10).optional(),
  entrada_salida_merc: z.enum(['Entrada', 'Salida']).optional(),
  pais_origen_destino: clave().optional(),
  via_entrada_salida: clave().optional(),
  ubicaciones: z.array(UbicacionEntradaSchema).min(2),
  mercancias: objeto({
    unidad_peso: clave().default('KGM'),
    logistica_inversa_recoleccion_devolucion: z.literal('Sí').optional(),
    mercancia: z.array(MercanciaEntradaSchema).min(1),
    autotransporte: AutotransporteEntradaSchema.optional(),
    // Accepted only to answer that they are not supported yet (HFX_TRANSPORTE_NO_SOPORTADO).
    transporte_maritimo: z.unknown().optional(),
    transporte_aereo: z.unknown().optional(),
    transporte_ferroviario: z.unknown().optional(),
  }),
  figura_transporte: z.array(FiguraEntradaSchema).optional(),
});

export type CartaPorteEntrada = z.infer<typeof CartaPorteEntradaSchema>;
export type CartaPorteParcial = Parcial<CartaPorteEntrada>;
export type DomicilioParcial = Parcial<z.infer<typeof DomicilioEntradaSchema>>;
export type MercanciaParcial = Parcial<z.infer<typeof MercanciaEntradaSchema>>;

/** Attribute values of one node (attribute names camelCased) and its child nodes. */
export interface Domicilio {
  calle?: string; numeroExterior?: string; numeroInterior?: string; colonia?: string; localidad?: string;
  referencia?: string; municipio?: string; estado: string; pais: string; codigoPostal: string;
}
export interface Ubicacion {
  tipoUbicacion: 'Origen' | 'Destino'; iDUbicacion?: string; rFCRemitenteDestinatario: string; nombreRemitenteDestinatario?: string;
  numRegIdTrib?: string; residenciaFiscal?: string; fechaHoraSalidaLlegada: string; distanciaRecorrida?: string; domicilio?: Domicilio;
}
export interface Mercancia {
  bienesTransp: string; claveSTCC?: string; descripcion: string; cantidad: string; claveUnidad: string; unidad?: string;
  dimensiones?: string; materialPeligroso?: string; cveMaterialPeligroso?: string; embalaje?: string; descripEmbalaje?: string;
  sectorCOFEPRIS?: string; [cofepris: string]: unknown;
  pesoEnKg: string; valorMercancia?: string; moneda?: string; fraccionArancelaria?: string; uUIDComercioExt?: string;
  tipoMateria?: string; descripcionMateria?: string;
  guiasIdentificacion: { numeroGuiaIdentificacion: string; descripGuiaIdentificacion: string; pesoGuiaIdentificacion: string }[];
  documentacionAduanera: { tipoDocumento: string; numPedimento?: string; identDocAduanero?: string; rFCImpo?: string }[];
  cantidadTransporta: { cantidad: string; iDOrigen: string; iDDestino: string; cvesTransporte?: string }[];
}
export interface Autotransporte {
  permSCT: string; numPermisoSCT: string;
  identificacionVehicular: { configVehicular: string; pesoBrutoVehicular: string; placaVM: string; anioModeloVM: string };
  seguros: {
    aseguraRespCivil: string; polizaRespCivil: string; aseguraMedAmbiente?: string; polizaMedAmbiente?: string;
    aseguraCarga?: string; polizaCarga?: string; primaSeguro?: string;
  };
  remolques: { subTipoRem: string; placa: string }[];
}
export interface TiposFigura {
  tipoFigura: string; rFCFigura?: string; numLicencia?: string; nombreFigura: string; numRegIdTribFigura?: string;
  residenciaFiscalFigura?: string; partesTransporte: string[]; domicilio?: Domicilio;
}
export interface CartaPorte {
  version: '3.1';
  idCCP: string;
  transpInternac: 'Sí' | 'No';
  entradaSalidaMerc?: string;
  paisOrigenDestino?: string;
  viaEntradaSalida?: string;
  totalDistRec: string;
  regimenesAduaneros: string[];
  ubicaciones: Ubicacion[];
  mercancias: {
    pesoBrutoTotal: string; unidadPeso: string; numTotalMercancias: string; logisticaInversaRecoleccionDevolucion?: string;
    mercancia: Mercancia[];
    autotransporte: Autotransporte;
  };
  figuraTransporte: TiposFigura[];
}
