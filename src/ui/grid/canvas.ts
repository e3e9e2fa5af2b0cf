// Canvas backing-store sizing shared by the grid and its overlay.

/** Give the canvas one backing pixel per device pixel of its CSS box; true if it changed. */
export function fitToDevicePixels(canvas: HTMLCanvasElement): boolean {
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = Math.round(rect.width * dpr);
  const h = Math.round(rect.height * dpr);
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}
