/**
 * EXPLAIN prints a statement's parameters as constants in its conditions
 * ("(client_name ~~ '%Petrov%'::text)", "(phone_rev = '7654321'::text)",
 * "(total > 7000)"): the values people searched for. A plan in the log keeps
 * its shape (nodes, relations, indexes, estimates) and loses every value.
 */

// A quoted SQL literal, doubled quotes inside included; its cast (::text) stays, so the type is still visible.
const QUOTED = /'(?:[^']|'')*'/g;
// A bare number in an expression, not part of a name (t1, o2.id) nor a parameter reference ($1).
const NUMBER = /(?<![\w$.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])/gi;
// Plan fields that hold expressions; others (Node Type, Relation Name, Index Name, ...) hold names only.
const EXPRESSION_KEY = /Cond|Filter|Key|Output|Expr|Merge|Hash|Recheck|Param/;

function scrubText(text: string, expression: boolean): string {
  const quoted = text.replace(QUOTED, "'?'");
  return expression ? quoted.replace(NUMBER, '?') : quoted;
}

/** A copy of an EXPLAIN (FORMAT JSON) plan with every literal value replaced by ?; numbers that measure the plan stay. */
export function scrubPlan(plan: unknown, key = ''): unknown {
  if (typeof plan === 'string') return scrubText(plan, EXPRESSION_KEY.test(key));
  if (Array.isArray(plan)) return plan.map((item) => scrubPlan(item, key));
  if (plan !== null && typeof plan === 'object') {
    return Object.fromEntries(Object.entries(plan).map(([k, v]) => [k, scrubPlan(v, k)]));
  }
  return plan;
}

/** An error message from EXPLAIN without the values it quotes (`invalid input syntax for type bigint: "abc"`). */
export function scrubMessage(message: string): string {
  return message.replace(/"(?:[^"]|"")*"/g, '"?"').replace(QUOTED, "'?'");
}
