import { createRouter } from '../../lib/create-app';
import { assetHandler, docsHandler } from './docs.handlers';
import * as routes from './docs.routes';

const router = createRouter().openapi(routes.docs, docsHandler).openapi(routes.asset, assetHandler);

export default router;
export { documentoOpenApi } from './openapi-info';
