import { createRouter } from '../../lib/create-app';
import { assetHandler, docsHandler } from './docs.handlers';
import * as routes from './docs.routes';

const router = createRouter().openapi(routes.docs, docsHandler).openapi(routes.asset, assetHandler);
router.openAPIRegistry.registerPath(routes.openapiJson);

export default router;
export { OPENAPI_DOCUMENT_BASE } from './openapi-info';
