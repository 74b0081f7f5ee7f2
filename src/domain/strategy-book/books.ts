/**
 * The strategies' books and their names: a book is a venue name as stored in
 * trading_orders.broker, with its own paper account and its own idea of the
 * trading halt. One home for the naming, used by the workflows (IDs and
 * results), the activities and the desk.
 */

export interface DeskBook {
  /** The venue name in trading_orders.broker (`paper:strategies`, `replay:2025-03-14`). */
  name: string;
  /** The paper venue's account. */
  account: string;
  /** Live: the halt flag in Postgres; replay: a halt of this desk only. */
  halt: 'database' | 'own';
}

/**
 * The live strategies' book: their own paper account (STRATEGIES_PAPER_ACCOUNT).
 *
 * @example
 *   liveBook('strategies').name; // 'paper:strategies'
 */
export function liveBook(account: string): DeskBook {
  return { name: `paper:${account}`, account, halt: 'database' };
}

/**
 * A replayed day's book: its own paper account (a tag tells two replays of one day apart).
 *
 * @example
 *   replayBook('2025-03-14', 'a').name; // 'replay:2025-03-14:a'
 */
export function replayBook(date: string, tag?: string): DeskBook {
  const name = tag ? `replay:${date}:${tag}` : `replay:${date}`;
  return { name, account: name, halt: 'own' };
}
