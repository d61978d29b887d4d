// The cartaporte31:CartaPorte complement: every node's attributes in CartaPorte31.xsd order and its children
// in sequence order, as data. Model fields are the attribute names with a lowercase first letter
// (RFCRemitenteDestinatario → rFCRemitenteDestinatario), so one list names both.
import type { Complemento } from '../../comprobante';
import { NS, ubicacionEsquema } from '../../namespaces';
import { el, type XmlElement, type XmlNode } from '../../xml';
import type { CartaPorte, Domicilio, Mercancia } from './modelo';

type Campos = readonly (readonly [atributo: string, campo: string])[];
const campos = (spec: string): Campos => spec.split(' ').map((a) => [a, a[0].toLowerCase() + a.slice(1)] as const);

const CARTA_PORTE = campos('Version IdCCP TranspInternac EntradaSalidaMerc PaisOrigenDestino ViaEntradaSalida TotalDistRec');
const UBICACION = campos(
  'TipoUbicacion IDUbicacion RFCRemitenteDestinatario NombreRemitenteDestinatario NumRegIdTrib ResidenciaFiscal FechaHoraSalidaLlegada DistanciaRecorrida',
);
const DOMICILIO = campos('Calle NumeroExterior NumeroInterior Colonia Localidad Referencia Municipio Estado Pais CodigoPostal');
const MERCANCIAS = campos('PesoBrutoTotal UnidadPeso NumTotalMercancias LogisticaInversaRecoleccionDevolucion');
/** Mercancia's attributes; calcular.ts maps the input's snake_case fields onto them. */
export const ATRIBUTOS_MERCANCIA = campos(
  'BienesTransp ClaveSTCC Descripcion Cantidad ClaveUnidad Unidad Dimensiones MaterialPeligroso CveMaterialPeligroso Embalaje ' +
    'DescripEmbalaje SectorCOFEPRIS NombreIngredienteActivo NomQuimico DenominacionGenericaProd DenominacionDistintivaProd Fabricante ' +
    'FechaCaducidad LoteMedicamento FormaFarmaceutica CondicionesEspTransp RegistroSanitarioFolioAutorizacion PermisoImportacion ' +
    'FolioImpoVUCEM NumCAS RazonSocialEmpImp NumRegSanPlagCOFEPRIS DatosFabricante DatosFormulador DatosMaquilador UsoAutorizado ' +
    'PesoEnKg ValorMercancia Moneda FraccionArancelaria UUIDComercioExt TipoMateria DescripcionMateria',
);
const DOCUMENTACION = campos('TipoDocumento NumPedimento IdentDocAduanero RFCImpo');
const GUIA = campos('NumeroGuiaIdentificacion DescripGuiaIdentificacion PesoGuiaIdentificacion');
const CANTIDAD = campos('Cantidad IDOrigen IDDestino CvesTransporte');
const AUTOTRANSPORTE = campos('PermSCT NumPermisoSCT');
const VEHICULO = campos('ConfigVehicular PesoBrutoVehicular PlacaVM AnioModeloVM');
const SEGUROS = campos('AseguraRespCivil PolizaRespCivil AseguraMedAmbiente PolizaMedAmbiente AseguraCarga PolizaCarga PrimaSeguro');
const REMOLQUE = campos('SubTipoRem Placa');
const FIGURA = campos('TipoFigura RFCFigura NumLicencia NombreFigura NumRegIdTribFigura ResidenciaFiscalFigura');

function nodo(nombre: string, datos: object, lista: Campos, hijos?: (XmlNode | undefined | false)[]): XmlElement {
  const valores = datos as Record<string, string | undefined>;
  const attrs: Record<string, string | undefined> = {};
  for (const [atributo, campo] of lista) attrs[atributo] = valores[campo];
  return el(`cartaporte31:${nombre}`, attrs, hijos);
}

const domicilioXml = (d: Domicilio | undefined) => d && nodo('Domicilio', d, DOMICILIO);

const mercanciaXml = (m: Mercancia) =>
  nodo('Mercancia', m, ATRIBUTOS_MERCANCIA, [
    ...m.documentacionAduanera.map((d) => nodo('DocumentacionAduanera', d, DOCUMENTACION)),
    ...m.guiasIdentificacion.map((g) => nodo('GuiasIdentificacion', g, GUIA)),
    ...m.cantidadTransporta.map((c) => nodo('CantidadTransporta', c, CANTIDAD)),
  ]);

/** The cartaporte31:CartaPorte element. */
export function cartaPorteXml(cp: CartaPorte): XmlElement {
  const a = cp.mercancias.autotransporte;
  return nodo('CartaPorte', cp, CARTA_PORTE, [
    cp.regimenesAduaneros.length > 0 &&
      el('cartaporte31:RegimenesAduaneros', {}, cp.regimenesAduaneros.map((r) => el('cartaporte31:RegimenAduaneroCCP', { RegimenAduanero: r }))),
    el('cartaporte31:Ubicaciones', {}, cp.ubicaciones.map((u) => nodo('Ubicacion', u, UBICACION, [domicilioXml(u.domicilio)]))),
    nodo('Mercancias', cp.mercancias, MERCANCIAS, [
      ...cp.mercancias.mercancia.map(mercanciaXml),
      nodo('Autotransporte', a, AUTOTRANSPORTE, [
        nodo('IdentificacionVehicular', a.identificacionVehicular, VEHICULO),
        nodo('Seguros', a.seguros, SEGUROS),
        a.remolques.length > 0 && el('cartaporte31:Remolques', {}, a.remolques.map((r) => nodo('Remolque', r, REMOLQUE))),
      ]),
    ]),
    cp.figuraTransporte.length > 0 &&
      el(
        'cartaporte31:FiguraTransporte',
        {},
        cp.figuraTransporte.map((f) =>
          nodo('TiposFigura', f, FIGURA, [
            ...f.partesTransporte.map((parte) => el('cartaporte31:PartesTransporte', { ParteTransporte: parte })),
            domicilioXml(f.domicilio),
          ]),
        ),
      ),
  ]);
}

/** The complement as emitir() places it in cfdi:Complemento. */
export function complementoCartaPorte(cp: CartaPorte): Complemento {
  return { nodo: cartaPorteXml(cp), namespaces: { cartaporte31: NS.cartaporte31 }, schemaLocation: [ubicacionEsquema('cartaporte31')] };
}
