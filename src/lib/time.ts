// Time units in milliseconds, so that a duration reads as what it is (30 * MINUTE, not 1_800_000).
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
