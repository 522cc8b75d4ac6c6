/** Window bounds saved in the per-machine preferences, restored only where they still fit. */

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export interface WorkArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;
const MIN = MIN_WINDOW_SIZE;
/** How much of the window's top edge must be on a screen to keep the saved position. */
const GRAB = { width: 120, height: 40 } as const;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);

const overlap = (a: WorkArea, b: WorkArea): { width: number; height: number } => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

/**
 * The bounds to open the window with: the saved ones when they are sane and the title bar
 * is on one of today's screens (a monitor may have been unplugged), else a centred default.
 */
export function restoreBounds(saved: unknown, workAreas: readonly WorkArea[]): WindowBounds {
  const s = (saved && typeof saved === 'object' ? saved : {}) as Record<string, unknown>;
  const largest = workAreas.reduce<WorkArea | undefined>(
    (best, a) => (!best || a.width * a.height > best.width * best.height ? a : best),
    undefined,
  );
  const maxW = Math.max(MIN.width, largest?.width ?? DEFAULT_WINDOW_SIZE.width);
  const maxH = Math.max(MIN.height, largest?.height ?? DEFAULT_WINDOW_SIZE.height);
  const width = Math.min(maxW, Math.max(MIN.width, num(s.width) ?? DEFAULT_WINDOW_SIZE.width));
  const height = Math.min(maxH, Math.max(MIN.height, num(s.height) ?? DEFAULT_WINDOW_SIZE.height));
  const maximized = s.maximized === true;
  const x = num(s.x);
  const y = num(s.y);
  if (x !== undefined && y !== undefined) {
    const titleBar = { x, y, width: Math.min(width, GRAB.width), height: GRAB.height };
    const visible = workAreas.some((area) => {
      const o = overlap(titleBar, area);
      return o.width >= Math.min(width, GRAB.width) && o.height >= GRAB.height / 2;
    });
    if (visible) return { x, y, width, height, maximized };
  }
  return { width, height, maximized };
}
