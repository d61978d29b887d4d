/**
 * Complemento Carta Porte 3.1, autotransporte federal: attachable to a traslado (T) and to a freight ingreso
 * (I). The kind reads `carta_porte` with CartaPorteEntradaSchema, runs validarCartaPorte over what parsed and,
 * with no problem, adds complementoCartaPorte(calcularCartaPorte(...)) to its Comprobante.
 */
export { calcularCartaPorte, conIdCcp, generarIdCcp } from './calcular';
export { buscarCatalogoCartaPorte, CATALOGOS_CARTA_PORTE, type FilaCartaPorte } from './catalogos';
export { CartaPorteEntradaSchema, ID_CCP, type CartaPorte, type CartaPorteEntrada, type CartaPorteParcial } from './modelo';
export { CLAVES_FLETE, validarCartaPorte, type ContextoCartaPorte } from './validar';
export { cartaPorteXml, complementoCartaPorte } from './xml';
