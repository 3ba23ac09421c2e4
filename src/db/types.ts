import type { OrderStatus, UserRole } from './enums.ts';

/**
 * How each PostgreSQL type (by its pg_type name) arrives in TypeScript.
 * int8 is parsed to number (ids and counts stay far below 2^53); numeric stays
 * a decimal string so money is never a float; date stays 'YYYY-MM-DD';
 * timestamptz stays exact text (a Date would drop microseconds and break
 * keyset cursors).
 */
interface PgResultTypes {
  int2: number;
  int4: number;
  int8: number;
  float8: number;
  numeric: string;
  text: string;
  bool: boolean;
  /** RFC 3339 in UTC with microseconds, exactly as stored (see pool.ts). */
  timestamptz: string;
  date: string;
  jsonb: unknown;
  bytea: Buffer;
  order_status: OrderStatus;
  user_role: UserRole;
}

/** What a query accepts for a parameter of each type. jsonb goes as JSON text. */
interface PgParamTypes extends Omit<PgResultTypes, 'jsonb'> {
  jsonb: string;
}

export type PgBaseType = keyof PgResultTypes;
type PgType = PgBaseType | `${PgBaseType}[]`;
/** A declared type; a trailing '?' marks it nullable. */
type PgDecl = PgType | `${PgType}?`;

type Resolve<T extends string, Map> = T extends `${infer B}[]` ? (B extends keyof Map ? Map[B][] : never) : T extends keyof Map ? Map[T] : never;

type FromDecl<D, Map> = D extends `${infer T}?` ? Resolve<T, Map> | null : D extends string ? Resolve<D, Map> : never;

type ResultOf<D> = FromDecl<D, PgResultTypes>;
export type ParamOf<D> = FromDecl<D, PgParamTypes>;

export type ParamDecls = Record<string, PgDecl>;
export type ColumnDecls = Record<string, PgDecl>;

export type ParamsOf<P extends ParamDecls> = { [K in keyof P]: ParamOf<P[K]> };
export type RowOf<C extends ColumnDecls> = { [K in keyof C]: ResultOf<C[K]> };
