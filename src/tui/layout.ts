/**
 * How the screen is divided: header (2 rows), timeline strip (lanes + axis), record list, detail
 * pane (when open) and status bar (1 row). Pure; the viewer recomputes it on every resize.
 * Small terminals (80x24) keep fewer strip lanes, so the list still gets most of the rows.
 *
 * Example: computeLayout(80, 23, false, 6) -> { stripLanes: 4, listHeight: 15, detailHeight: 0, ... }
 */
export const HEADER_ROWS = 2;
export const STATUS_ROWS = 1;

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly stripLanes: number;
  readonly listHeight: number;
  readonly detailHeight: number;
}

export function computeLayout(width: number, height: number, detail: boolean, laneCount: number): Layout {
  const h = Math.max(8, height);
  const budget = detail ? (h >= 40 ? 6 : h >= 30 ? 3 : 2) : h >= 40 ? 9 : h >= 30 ? 6 : 4;
  const stripLanes = Math.min(laneCount, budget);
  const strip = stripLanes > 0 ? stripLanes + 1 : 0;
  const rest = Math.max(2, h - HEADER_ROWS - strip - STATUS_ROWS);
  const detailHeight = detail ? Math.min(rest - 1, Math.max(6, Math.floor(rest * 0.55))) : 0;
  return { width: Math.max(20, width), height: h, stripLanes, listHeight: Math.max(1, rest - detailHeight), detailHeight };
}
