/**
 * The console reads the server's order declarations as types (types.ts).
 * Their column-type map (src/db/types.ts) names Node's Buffer for bytea,
 * which a browser build has no types for; no console code holds a bytea
 * value, so the name alone is enough here.
 */
type Buffer = Uint8Array;
