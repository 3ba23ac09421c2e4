/** The legacy master id a closed order without any master is attributed to (real legacy ids are positive). */
export const NO_MASTER_LEGACY_ID = 0;
