/**
 * ZooKeeper `myid` semantics: `Long.parseLong(firstLine)` with no trimming.
 * `1\n`, `1\r\n`, `01`, `+1`, `1\n2\n` are accepted; `1 `, ` 1`, a blank line and
 * an empty file are fatal (`serverid <text> is not a number`).
 */
import type { Span } from '../types';
import { javaParseInteger } from './zoocfg';

export interface MyId {
  /** the parsed id, when ZooKeeper would accept the file */
  id?: number;
  /** first line as BufferedReader.readLine() returns it (null for an empty file) */
  firstLine: string | null;
  /** span of the first line's text (without its line terminator) */
  span: Span;
  /** ZooKeeper's own error text when it would reject the file */
  error?: string;
  /** the accepted id as Java prints the long (exact even beyond 2^53) */
  idString?: string;
}

export function parseMyId(text: string): MyId {
  try {
    if (typeof text !== 'string' || text.length === 0) {
      return { firstLine: null, span: { start: 0, end: 0 }, error: 'serverid null is not a number' };
    }
    // BufferedReader.readLine(): the line ends at \n, \r or \r\n
    let end = 0;
    const n = text.length;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    const firstLine = text.slice(0, end);
    const span = { start: 0, end };
    const v = javaParseInteger(firstLine, 64);
    if (v === undefined) {
      // the exact ZooKeeper text; absurdly long lines are shortened so a diagnostic stays readable
      const shown = firstLine.length > 200 ? firstLine.slice(0, 200) + '…' : firstLine;
      return { firstLine, span, error: `serverid ${shown} is not a number` };
    }
    return { id: Number(v), idString: v.toString(), firstLine, span };
  } catch {
    return { firstLine: null, span: { start: 0, end: 0 }, error: 'serverid null is not a number' };
  }
}
