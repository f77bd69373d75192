// The order in which a queue's gate serves its waiters: the most urgent priority first (1 before
// 9), then the earlier place in line (rankAt), then whoever asked first.

export interface InLine {
  priority: number;
  rankAt: string;
}

/** An unreadable rankAt goes to the back of its priority rather than jumping the line. */
const rankOf = (rankAt: string): number => {
  const at = Date.parse(rankAt);
  return Number.isNaN(at) ? Infinity : at;
};

/** Negative when `a` is served before `b`; 0 when only arrival decides. */
export function compareInLine(a: InLine, b: InLine): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const ra = rankOf(a.rankAt);
  const rb = rankOf(b.rankAt);
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

/**
 * Where a newcomer joins a line kept in serving order: behind everyone served before it or
 * tied with it, since among equals the earlier arrival goes first.
 */
export function placeInLine(line: readonly InLine[], newcomer: InLine): number {
  let place = line.length;
  while (place > 0 && compareInLine(line[place - 1]!, newcomer) > 0) place -= 1;
  return place;
}
