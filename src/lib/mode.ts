// Test (sandbox) or live: shared by the database schema, the PAC adapters and the API, none of which
// should import another just for this.
export const MODES = ['test', 'live'] as const;
export type Mode = (typeof MODES)[number];
