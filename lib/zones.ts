/**
 * The most zones a network spreads across. The zonal subnet plan gives each zone 1/8 of
 * the range for its private subnet, so the first half of the range holds four; environment
 * validation refuses more, so no environment asks a module for a plan it cannot carve.
 */
export const MAX_ZONES = 4;
