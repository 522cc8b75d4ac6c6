/** Half-open intervals [start, end) of numbers (minutes or epoch ms), written once. */
export interface Span {
  start: number;
  end: number;
}

/** Sorted, with overlapping and touching spans merged. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** `spans` minus `holes`; both may be unsorted. */
export function subtractSpans(spans: Span[], holes: Span[]): Span[] {
  let result = mergeSpans(spans);
  for (const hole of mergeSpans(holes)) {
    const next: Span[] = [];
    for (const s of result) {
      if (hole.end <= s.start || hole.start >= s.end) {
        next.push(s);
        continue;
      }
      if (hole.start > s.start) next.push({ start: s.start, end: hole.start });
      if (hole.end < s.end) next.push({ start: hole.end, end: s.end });
    }
    result = next;
  }
  return result;
}

/** True when any two spans overlap (touching is fine). */
export function hasOverlap(spans: Span[]): boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) return true;
  return false;
}
