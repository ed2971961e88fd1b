// Searching a text for many literal phrases at once (reliability.md §4.6: every pattern here is an
// alternation of escaped literals, which runs in linear time).

/** Any of the lower-case needles, as one regular expression: one native scan instead of one per word. */
export function anyOf(needles: readonly string[]): RegExp {
  return new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))
}

/**
 * Ordered groups of needles; `first(text)` is the index of the first group with a needle in the text,
 * in one scan instead of one per group. The alternation lists the needles group by group, so at one
 * position the alternative that matches belongs to the earliest group among the needles found
 * there; the earliest over all match positions is the answer. Matches are taken at every position
 * (not only after the previous match), so overlapping needles are all seen.
 */
export class NeedleGroups {
  private readonly re: RegExp
  /** Needle → index of the first group that lists it. */
  private readonly groupOf = new Map<string, number>()
  private readonly count: number

  constructor(groups: ReadonlyArray<readonly string[]>) {
    this.count = groups.length
    groups.forEach((needles, k) => {
      for (const n of needles) if (!this.groupOf.has(n)) this.groupOf.set(n, k)
    })
    this.re = new RegExp(anyOf(groups.flat()).source, 'g')
  }

  /** Index of the first group with a needle in `text`, or -1. */
  first(text: string): number {
    const re = this.re
    let first = this.count
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null && first > 0; m = re.exec(text)) {
      const k = this.groupOf.get(m[0]) ?? first
      if (k < first) first = k
      re.lastIndex = m.index + 1 // the next position, not the end of the match
    }
    re.lastIndex = 0
    return first < this.count ? first : -1
  }
}
