/**
 * What a dispatcher may do with an order from the console: the staff moves
 * of the state machine, plus edit and reschedule. This module imports
 * nothing, so the console's web app (src/console/web, a browser build) can
 * read the type too; board-service.ts checks each name is an order action.
 */
export const CONSOLE_ACTIONS = ['assign', 'unassign', 'refuse', 'close', 'reopen', 'reschedule', 'edit'] as const;
export type ConsoleAction = (typeof CONSOLE_ACTIONS)[number];
