/** A page's object does not exist; the panel answers with its own 404 page. */
export class NotFound extends Error {}
