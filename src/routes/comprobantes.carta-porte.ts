import type { Texto } from './comprobantes.schemas';

// The OpenAPI text of the complemento Carta Porte 3.1 (`carta_porte` of POST /traslados and POST /facturas) and of
// the traslado's own fields, path-keyed for documentar() in comprobantes.schemas.ts. Kept apart: it is long.

const DOMICILIO = (p: string): Record<string, Texto> => ({
  [p]: 'Domicilio (obligatorio en autotransporte: CP135). Estado, municipio y localidad se validan contra los catálogos del SAT; la colonia no (c_Colonia no está disponible como datos).',
  [`${p}.calle`]: { description: 'Calle.', example: 'Av. Constituyentes' },
  [`${p}.numero_exterior`]: { description: 'Número exterior.', example: '1000' },
  [`${p}.numero_interior`]: { description: 'Número interior.', example: '4B' },
  [`${p}.colonia`]: { description: 'c_Colonia (4 dígitos) en México, o el nombre de la colonia en el extranjero. Solo se valida el formato.', example: '0001' },
  [`${p}.localidad`]: { description: 'c_Localidad del estado (México).', example: '07' },
  [`${p}.referencia`]: { description: 'Referencia geográfica adicional.', example: 'Frente a la central de abasto' },
  [`${p}.municipio`]: { description: 'c_Municipio del estado (México).', example: '039' },
  [`${p}.estado`]: { description: 'c_Estado (México) o el estado extranjero.', example: 'NLE' },
  [`${p}.pais`]: { description: 'c_Pais; MEX si se omite.', example: 'MEX' },
  [`${p}.codigo_postal`]: { description: 'c_CodigoPostal (México; debe corresponder al estado) o el código postal extranjero.', example: '64000' },
});

const U = 'ubicaciones[]';
const M = 'mercancias.mercancia[]';
const A = 'mercancias.autotransporte';
const F = 'figura_transporte[]';

const COFEPRIS = 'Solo con sector_cofepris (CP159–CP163 dicen cuáles exige cada sector).';

const CARTA_PORTE: Record<string, Texto> = {
  '':
    'Complemento Carta Porte 3.1, autotransporte federal. HexaFac calcula IdCCP (si se omite), TotalDistRec, PesoBrutoTotal y NumTotalMercancias. ' +
    'Las claves de sus catálogos (material peligroso, embalaje, configuración vehicular, permisos, figuras…) se buscan en GET /catalogos/carta-porte/{nombre}.',
  id_ccp: {
    description:
      'IdCCP: identificador de la Carta Porte, "CCC" y los últimos 33 caracteres de un UUID. Se genera si se omite y se guarda con la solicitud: ' +
      'cada intento de timbrado lleva el mismo. Indícalo solo para conservar el de un intento anterior.',
    example: 'CCCeafcc-de9d-46bd-a2fc-1b2e4727d1e5',
  },
  transp_internac: { description: 'TranspInternac: Sí si las mercancías entran o salen del país; No si se omite.', example: 'No' },
  regimenes_aduaneros: 'RegimenesAduaneros (hasta 10): obligatorios en un transporte internacional (c_RegimenAduanero, p. ej. IMD importación definitiva).',
  'regimenes_aduaneros[]': { description: 'c_RegimenAduanero.', example: 'IMD' },
  entrada_salida_merc: { description: 'EntradaSalidaMerc: Entrada o Salida; obligatorio en un transporte internacional.', example: 'Entrada' },
  pais_origen_destino: { description: 'PaisOrigenDestino (c_Pais): de dónde vienen o a dónde van; obligatorio en un transporte internacional.', example: 'USA' },
  via_entrada_salida: { description: 'ViaEntradaSalida (c_CveTransporte): 01 autotransporte; obligatorio en un transporte internacional.', example: '01' },
  ubicaciones: 'Ubicaciones: al menos un origen y un destino. TotalDistRec es la suma de las distancias de los destinos.',
  [U]: 'Ubicación de origen o de destino.',
  [`${U}.tipo_ubicacion`]: { description: 'TipoUbicacion: Origen o Destino.', example: 'Origen' },
  [`${U}.id_ubicacion`]: { description: 'IDUbicacion: OR u DE y 6 dígitos; las cantidad_transporta de las mercancías lo nombran.', example: 'OR000001' },
  [`${U}.rfc_remitente_destinatario`]: { description: 'RFC de quien envía (origen) o recibe (destino); XEXX010101000 si es extranjero.', example: 'EKU9003173C9' },
  [`${U}.nombre_remitente_destinatario`]: { description: 'Nombre del remitente o destinatario.', example: 'ESCUELA KEMPER URGATE' },
  [`${U}.num_reg_id_trib`]: { description: 'Registro de identidad fiscal del remitente o destinatario extranjero.', example: '123456789' },
  [`${U}.residencia_fiscal`]: { description: 'c_Pais de residencia fiscal del remitente o destinatario extranjero.', example: 'USA' },
  [`${U}.num_estacion`]: { description: 'NumEstacion (c_Estaciones): solo en transporte marítimo, aéreo o ferroviario, que aún no se admiten.', example: 'PM001' },
  [`${U}.fecha_hora_salida_llegada`]: { description: 'Fecha y hora de salida (origen) o de llegada estimada (destino), AAAA-MM-DDThh:mm:ss.', example: '2026-11-20T13:00:00' },
  [`${U}.distancia_recorrida`]: { description: 'DistanciaRecorrida en km hasta este destino (obligatoria en cada destino).', example: '905.5' },
  ...DOMICILIO(`${U}.domicilio`),
  mercancias: 'Mercancías transportadas y el autotransporte.',
  'mercancias.unidad_peso': { description: 'UnidadPeso (c_ClaveUnidadPeso); KGM si se omite.', example: 'KGM' },
  'mercancias.logistica_inversa_recoleccion_devolucion': { description: 'Sí: logística inversa, recolección o devolución.', example: 'Sí' },
  'mercancias.mercancia': 'Mercancías (al menos una); NumTotalMercancias es su número y PesoBrutoTotal la suma de sus peso_en_kg.',
  [M]: 'Mercancía.',
  [`${M}.bienes_transp`]: { description: 'BienesTransp: c_ClaveProdServCP (8 dígitos). Solo se valida el formato: el catálogo no está disponible como datos.', example: '43211500' },
  [`${M}.clave_stcc`]: { description: 'ClaveSTCC: solo en transporte ferroviario.', example: '123456' },
  [`${M}.descripcion`]: { description: 'Descripción de la mercancía.', example: 'Computadoras portátiles' },
  [`${M}.cantidad`]: { description: 'Cantidad de la mercancía.', example: '25' },
  [`${M}.clave_unidad`]: { description: 'c_ClaveUnidad.', example: 'H87' },
  [`${M}.unidad`]: { description: 'Unidad de medida propia.', example: 'Pieza' },
  [`${M}.dimensiones`]: { description: 'Largo/alto/ancho en cm o plg.', example: '30/40/50cm' },
  [`${M}.material_peligroso`]: { description: 'Sí o No: obligatorio cuando la clave de bienes_transp puede ser material peligroso.', example: 'No' },
  [`${M}.cve_material_peligroso`]: { description: 'c_MaterialPeligroso (número ONU; GET /catalogos/carta-porte/material-peligroso?q=gasolina); obligatorio con material_peligroso Sí.', example: '1203' },
  [`${M}.embalaje`]: { description: 'c_TipoEmbalaje; obligatorio con material_peligroso Sí.', example: '4H2' },
  [`${M}.descrip_embalaje`]: { description: 'Descripción del embalaje.', example: 'Bidones de plástico' },
  [`${M}.sector_cofepris`]: { description: 'c_SectorCOFEPRIS: 01 medicamento, 02 precursores, 03 psicotrópicos, 04 sustancias tóxicas, 05 plaguicidas y fertilizantes.', example: '01' },
  [`${M}.nombre_ingrediente_activo`]: `Nombre del ingrediente activo. ${COFEPRIS}`,
  [`${M}.nom_quimico`]: `Nombre químico. ${COFEPRIS}`,
  [`${M}.denominacion_generica_prod`]: `Denominación genérica del producto. ${COFEPRIS}`,
  [`${M}.denominacion_distintiva_prod`]: `Denominación distintiva del producto. ${COFEPRIS}`,
  [`${M}.fabricante`]: `Fabricante. ${COFEPRIS}`,
  [`${M}.fecha_caducidad`]: `Fecha de caducidad, AAAA-MM-DD. ${COFEPRIS}`,
  [`${M}.lote_medicamento`]: `Lote del medicamento. ${COFEPRIS}`,
  [`${M}.forma_farmaceutica`]: `c_FormaFarmaceutica. ${COFEPRIS}`,
  [`${M}.condiciones_esp_transp`]: `c_CondicionesEspeciales de transporte. ${COFEPRIS}`,
  [`${M}.registro_sanitario_folio_autorizacion`]: `Registro sanitario o folio de autorización. ${COFEPRIS}`,
  [`${M}.permiso_importacion`]: `Permiso de importación (importaciones de los sectores 01–03). ${COFEPRIS}`,
  [`${M}.folio_impo_vucem`]: `Folio de importación de la VUCEM (importaciones). ${COFEPRIS}`,
  [`${M}.num_cas`]: `Número CAS de la sustancia. ${COFEPRIS}`,
  [`${M}.razon_social_emp_imp`]: `Razón social de la empresa importadora (sustancias tóxicas). ${COFEPRIS}`,
  [`${M}.num_reg_san_plag_cofepris`]: `Registro sanitario de plaguicidas y fertilizantes. ${COFEPRIS}`,
  [`${M}.datos_fabricante`]: `Datos del fabricante del plaguicida o fertilizante. ${COFEPRIS}`,
  [`${M}.datos_formulador`]: `Datos del formulador. ${COFEPRIS}`,
  [`${M}.datos_maquilador`]: `Datos del maquilador. ${COFEPRIS}`,
  [`${M}.uso_autorizado`]: `Uso autorizado del plaguicida o fertilizante. ${COFEPRIS}`,
  [`${M}.peso_en_kg`]: { description: 'Peso bruto de la mercancía en kg (hasta 3 decimales).', example: '75.3' },
  [`${M}.valor_mercancia`]: { description: 'Valor de la mercancía (obligatorio en un ingreso y en un traslado internacional).', example: '250000.00' },
  [`${M}.moneda`]: { description: 'c_Moneda del valor de la mercancía.', example: 'MXN' },
  [`${M}.fraccion_arancelaria`]: { description: 'c_FraccionArancelaria (transporte internacional).', example: '8471300100' },
  [`${M}.uuid_comercio_ext`]: { description: 'Folio fiscal del CFDI con complemento de comercio exterior (exportaciones).', example: '5FB2822E-396D-4725-8521-CDC4BDD20CCF' },
  [`${M}.tipo_materia`]: { description: 'c_TipoMateria (transporte internacional): 01 materia prima … 05 otra.', example: '03' },
  [`${M}.descripcion_materia`]: { description: 'Descripción de la materia cuando tipo_materia es 05 (otra).', example: 'Refacciones' },
  [`${M}.documentacion_aduanera`]: 'Documentación aduanera de una importación: pedimento u otro documento.',
  [`${M}.documentacion_aduanera[]`]: 'Documento aduanero.',
  [`${M}.documentacion_aduanera[].tipo_documento`]: { description: 'c_DocumentoAduanero: 01 pedimento, …', example: '01' },
  [`${M}.documentacion_aduanera[].num_pedimento`]: { description: 'Número de pedimento (con tipo_documento 01), con sus espacios: AA  AA  AAAA  NNNNNNN.', example: '26  24  3420  6000123' },
  [`${M}.documentacion_aduanera[].ident_doc_aduanero`]: { description: 'Identificador del documento aduanero que no es pedimento.', example: 'ABC-123' },
  [`${M}.documentacion_aduanera[].rfc_impo`]: { description: 'RFC del importador (con pedimento).', example: 'EKU9003173C9' },
  [`${M}.guias_identificacion`]: 'Guías de identificación (paquetería; empaques y estibas).',
  [`${M}.guias_identificacion[]`]: 'Guía de identificación.',
  [`${M}.guias_identificacion[].numero_guia_identificacion`]: { description: 'Número de guía.', example: '1234567890' },
  [`${M}.guias_identificacion[].descrip_guia_identificacion`]: { description: 'Descripción del contenido de la guía.', example: 'Paquete con refacciones' },
  [`${M}.guias_identificacion[].peso_guia_identificacion`]: { description: 'Peso de la guía en kg.', example: '2.5' },
  [`${M}.cantidad_transporta`]: 'Qué cantidad va de qué origen a qué destino (obligatoria con más de un origen o destino).',
  [`${M}.cantidad_transporta[]`]: 'Cantidad de esta mercancía entre un origen y un destino.',
  [`${M}.cantidad_transporta[].cantidad`]: { description: 'Cantidad transportada.', example: '25' },
  [`${M}.cantidad_transporta[].id_origen`]: { description: 'IDUbicacion del origen.', example: 'OR000001' },
  [`${M}.cantidad_transporta[].id_destino`]: { description: 'IDUbicacion del destino.', example: 'DE000001' },
  [`${M}.cantidad_transporta[].cves_transporte`]: { description: 'c_CveTransporte (solo en transporte intermodal).', example: '01' },
  [A]: 'Autotransporte federal: el único medio admitido (CP148).',
  [`${A}.perm_sct`]: { description: 'c_TipoPermiso de la SICT (p. ej. TPAF01 autotransporte federal de carga general).', example: 'TPAF01' },
  [`${A}.num_permiso_sct`]: { description: 'Número del permiso de la SICT.', example: '0X2XTXZ0X5X0X3X2X1X0' },
  [`${A}.identificacion_vehicular`]: 'El vehículo.',
  [`${A}.identificacion_vehicular.config_vehicular`]: { description: 'c_ConfigAutotransporte (C2, T3S2…); la que requiere remolque exige `remolques`.', example: 'T3S2' },
  [`${A}.identificacion_vehicular.peso_bruto_vehicular`]: { description: 'Peso bruto vehicular en toneladas.', example: '41.5' },
  [`${A}.identificacion_vehicular.placa_vm`]: { description: 'Placa del vehículo: 5 a 7 caracteres, sin guiones ni espacios.', example: '501AAA' },
  [`${A}.identificacion_vehicular.anio_modelo_vm`]: { description: 'Año del modelo.', example: '2022' },
  [`${A}.seguros`]: 'Seguros del vehículo y de la carga.',
  [`${A}.seguros.asegura_resp_civil`]: { description: 'Aseguradora de responsabilidad civil.', example: 'SEGUROS DEL NORTE' },
  [`${A}.seguros.poliza_resp_civil`]: { description: 'Póliza de responsabilidad civil.', example: 'RC-123456' },
  [`${A}.seguros.asegura_med_ambiente`]: { description: 'Aseguradora de daños al medio ambiente (obligatoria con material peligroso).', example: 'ECO SEGUROS' },
  [`${A}.seguros.poliza_med_ambiente`]: { description: 'Póliza de daños al medio ambiente (obligatoria con material peligroso).', example: 'MA-98765' },
  [`${A}.seguros.asegura_carga`]: { description: 'Aseguradora de la carga.', example: 'SEGUROS DEL NORTE' },
  [`${A}.seguros.poliza_carga`]: { description: 'Póliza de la carga.', example: 'CG-555' },
  [`${A}.seguros.prima_seguro`]: { description: 'Prima del seguro que se cobra al cliente (solo en un ingreso).', example: '350.00' },
  [`${A}.remolques`]: 'Remolques o semirremolques (uno o dos): obligatorios si la configuración vehicular los requiere.',
  [`${A}.remolques[]`]: 'Remolque.',
  [`${A}.remolques[].sub_tipo_rem`]: { description: 'c_SubTipoRem (p. ej. CTR004 caja).', example: 'CTR004' },
  [`${A}.remolques[].placa`]: { description: 'Placa del remolque: 5 a 7 caracteres, sin guiones ni espacios.', example: '752WZ8' },
  'mercancias.transporte_maritimo': 'No admitido: 422 HFX_TRANSPORTE_NO_SOPORTADO (solo autotransporte federal).',
  'mercancias.transporte_aereo': 'No admitido: 422 HFX_TRANSPORTE_NO_SOPORTADO (solo autotransporte federal).',
  'mercancias.transporte_ferroviario': 'No admitido: 422 HFX_TRANSPORTE_NO_SOPORTADO (solo autotransporte federal).',
  figura_transporte: 'Figuras del transporte: al menos el operador (01); propietario (02) o arrendatario (03) del vehículo cuando no es el emisor.',
  [F]: 'Figura del transporte.',
  [`${F}.tipo_figura`]: { description: 'c_FiguraTransporte: 01 operador, 02 propietario, 03 arrendatario, 04 notificado.', example: '01' },
  [`${F}.rfc_figura`]: { description: 'RFC de la figura (obligatorio si es residente en México).', example: 'XIQB891116QE4' },
  [`${F}.num_licencia`]: { description: 'Número de licencia federal del operador (obligatorio para el operador).', example: 'LF0123456789' },
  [`${F}.nombre_figura`]: { description: 'Nombre de la figura.', example: 'BERENICE XIMO QUEZADA' },
  [`${F}.num_reg_id_trib_figura`]: { description: 'Registro de identidad fiscal de una figura extranjera.', example: '123456789' },
  [`${F}.residencia_fiscal_figura`]: { description: 'c_Pais de residencia de una figura extranjera.', example: 'USA' },
  [`${F}.partes_transporte`]: 'Partes del transporte de las que la figura es propietaria o arrendataria (obligatorias para 02 y 03).',
  [`${F}.partes_transporte[]`]: { description: 'c_ParteTransporte (PT01 camión unitario … PT05 semirremolque…).', example: 'PT05' },
  ...DOMICILIO(`${F}.domicilio`),
};

// The SAT's test issuer (the sandbox's CSD) and a client of its test RFCs.
const EMISOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE' };
const CLIENTE = { rfc: 'URE180429TM6', nombre: 'UNIVERSIDAD ROBOTICA ESPAÑOLA' };

const MERCANCIAS = [
  { bienes_transp: '43211500', descripcion: 'Computadoras portátiles', cantidad: '25', clave_unidad: 'H87', peso_en_kg: '75.3', id_destino: 'DE000001' },
  { bienes_transp: '43211900', descripcion: 'Monitores', cantidad: '15', clave_unidad: 'H87', peso_en_kg: '60.125', id_destino: 'DE000002' },
];

/**
 * The trip both examples document: Monterrey → Ciudad de México → Querétaro (905.5 + 212.25 km), each of MERCANCIAS to its destino,
 * in a T3S2 tractocamión with its semirremolque. What differs is who receives it: the freight's client, or in a traslado the issuer.
 */
const viaje = (destinatario: { rfc: string; nombre: string }) => {
  const recibe = { rfc_remitente_destinatario: destinatario.rfc, nombre_remitente_destinatario: destinatario.nombre };
  return {
    ubicaciones: [
      {
        tipo_ubicacion: 'Origen',
        id_ubicacion: 'OR000001',
        rfc_remitente_destinatario: EMISOR.rfc,
        nombre_remitente_destinatario: EMISOR.nombre,
        fecha_hora_salida_llegada: '2026-11-20T13:00:00',
        domicilio: { calle: 'Av. Constituyentes', numero_exterior: '1000', municipio: '039', estado: 'NLE', pais: 'MEX', codigo_postal: '64000', localidad: '07' },
      },
      {
        tipo_ubicacion: 'Destino',
        id_ubicacion: 'DE000001',
        ...recibe,
        fecha_hora_salida_llegada: '2026-11-20T23:30:00',
        distancia_recorrida: '905.5',
        domicilio: { calle: 'Insurgentes Sur', numero_exterior: '300', municipio: '015', estado: 'CMX', pais: 'MEX', codigo_postal: '06600' },
      },
      {
        tipo_ubicacion: 'Destino',
        id_ubicacion: 'DE000002',
        ...recibe,
        fecha_hora_salida_llegada: '2026-11-21T06:00:00',
        distancia_recorrida: '212.25',
        domicilio: { calle: '5 de Mayo', numero_exterior: '12', municipio: '014', estado: 'QUE', pais: 'MEX', codigo_postal: '76000' },
      },
    ],
    mercancias: {
      mercancia: MERCANCIAS.map(({ id_destino, ...m }) => ({ ...m, cantidad_transporta: [{ cantidad: m.cantidad, id_origen: 'OR000001', id_destino }] })),
      autotransporte: {
        perm_sct: 'TPAF01',
        num_permiso_sct: '0X2XTXZ0X5X0X3X2X1X0',
        identificacion_vehicular: { config_vehicular: 'T3S2', peso_bruto_vehicular: '41.5', placa_vm: '501AAA', anio_modelo_vm: '2022' },
        seguros: { asegura_resp_civil: 'SEGUROS DEL NORTE', poliza_resp_civil: 'RC-123456' },
        remolques: [{ sub_tipo_rem: 'CTR004', placa: '752WZ8' }],
      },
    },
    figura_transporte: [{ tipo_figura: '01', rfc_figura: 'XIQB891116QE4', num_licencia: 'LF0123456789', nombre_figura: 'BERENICE XIMO QUEZADA' }],
  };
};

/**
 * POST /facturas's freight invoice: the flete (78101802) of that trip for the client, with IVA 16 % and the 4 % IVA retention on
 * freight (18,500 + 2,960 − 740 = 20,720). Like every documented example, no `fecha`.
 */
export const EJEMPLO_FLETE = {
  receptor: { ...CLIENTE, domicilio_fiscal: '86991', regimen_fiscal: '601', uso_cfdi: 'G03' },
  forma_pago: '03',
  metodo_pago: 'PUE',
  moneda: 'MXN',
  conceptos: [
    {
      clave_prod_serv: '78101802',
      cantidad: '1',
      clave_unidad: 'E48',
      descripcion: 'Flete Monterrey - Ciudad de México - Querétaro',
      valor_unitario: '18500.00',
      objeto_imp: '02',
      impuestos: {
        traslados: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.160000' }],
        retenciones: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.040000' }],
      },
    },
  ],
  carta_porte: viaje(CLIENTE),
};

/** POST /traslados: the same trip with the issuer's own goods, so the issuer is the receptor and the destinatario; a concepto per mercancía. */
export const EJEMPLO_TRASLADO = {
  receptor: { ...EMISOR, domicilio_fiscal: '42501', regimen_fiscal: '601', uso_cfdi: 'S01' },
  conceptos: MERCANCIAS.map((m) => ({ clave_prod_serv: m.bienes_transp, cantidad: m.cantidad, clave_unidad: m.clave_unidad, descripcion: m.descripcion })),
  carta_porte: viaje(EMISOR),
};

/** `CARTA_PORTE` under `prefijo` ('carta_porte'); its own example, when given, on the complement itself. */
export const textosCartaPorte = (prefijo: string, ejemplo?: unknown): Record<string, Texto> => ({
  ...Object.fromEntries(Object.entries(CARTA_PORTE).map(([k, v]) => [k ? (k.startsWith('[') ? `${prefijo}${k}` : `${prefijo}.${k}`) : prefijo, v])),
  ...(ejemplo ? { [prefijo]: { description: CARTA_PORTE[''] as string, example: ejemplo } } : {}),
});

/** A traslado's own fields (the rest are COMUNES and the Carta Porte). */
export const TRASLADO: Record<string, Texto> = {
  '': 'Un CFDI de traslado (tipo T) con el complemento Carta Porte 3.1.',
  receptor: 'Receptor: con Carta Porte, el propio emisor (CP107), que traslada mercancía propia o la de un tercero que consta en las ubicaciones.',
  'receptor.uso_cfdi': { description: 'c_UsoCFDI; S01 (sin efectos fiscales) si se omite.', example: 'S01' },
  exportacion: { description: 'c_Exportacion; 01 no aplica.', example: '01' },
  cfdi_relacionados: 'CFDI relacionados (p. ej. 05 traslados de mercancías facturados previamente).',
  'cfdi_relacionados[]': 'Relación con otros CFDI.',
  'cfdi_relacionados[].tipo_relacion': { description: 'c_TipoRelacion.', example: '05' },
  'cfdi_relacionados[].uuids': { description: 'Folios fiscales (UUID) de los CFDI relacionados.', example: ['5FB2822E-396D-4725-8521-CDC4BDD20CCF'] },
  'cfdi_relacionados[].uuids[]': 'Folio fiscal (UUID).',
  conceptos: 'Bienes que se trasladan (al menos uno), sin precio: SubTotal y Total son 0.',
  'conceptos[]': 'Bien trasladado; su importe es 0.',
  'conceptos[].clave_prod_serv': { description: 'c_ClaveProdServ vigente (8 dígitos).', example: '43211500' },
  'conceptos[].no_identificacion': { description: 'Número de parte, SKU o identificador del producto.', example: 'SKU-001' },
  'conceptos[].cantidad': { description: 'Cantidad trasladada.', example: '25' },
  'conceptos[].clave_unidad': { description: 'c_ClaveUnidad.', example: 'H87' },
  'conceptos[].unidad': { description: 'Unidad de medida propia del emisor.', example: 'Pieza' },
  'conceptos[].descripcion': { description: 'Descripción del bien.', example: 'Computadoras portátiles' },
  'conceptos[].valor_unitario': { description: 'Siempre 0 en un traslado (CFDI40109); 0 si se omite.', example: '0' },
  'conceptos[].objeto_imp': { description: 'Siempre 01 (no objeto de impuesto) en un traslado; 01 si se omite.', example: '01' },
  forma_pago: 'No se indica en un traslado (CFDI40103): darla es un error con el código del SAT.',
  metodo_pago: 'No se indica en un traslado (CFDI40125): darlo es un error con el código del SAT.',
  moneda: 'Siempre XXX en un traslado; se puede omitir (otra es un error CP103).',
  ...textosCartaPorte('carta_porte', EJEMPLO_TRASLADO.carta_porte),
};
