/**
 * Draws the two Teams app icons and writes them to appPackage/:
 *   color.png   192x192, full colour: a white shield with a check mark on the accent colour.
 *   outline.png  32x32, white on transparent: the same shield and check as strokes.
 *
 * Icon rules: https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons
 * (outline must be white with a transparent background; colour icon symbol inside a centred safe area).
 *
 * Run: npx tsx scripts/make-icons.ts   (the PNGs are committed; rerun only when the mark changes)
 * The output is deterministic, so rerunning without changes leaves the files byte-identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/** Keep in step with appPackage/manifest.json "accentColor". */
export const ACCENT = { r: 0x1b, g: 0x5e, b: 0x9e };

type Point = readonly [number, number];
type Rgba = { r: number; g: number; b: number; a: number };

/** Shield outline in unit coordinates (0..1 both ways, y down): a top edge dipping slightly in the middle, straight
 * sides, then convex curves (quadratic Béziers) meeting in a point at the bottom. */
function shieldPolygon(): Point[] {
  const top = 0.1;
  const dip = 0.035;
  const shoulder = 0.48; // where the straight sides end
  const left = 0.17;
  const right = 0.83;
  const bottom = 0.94;
  const pts: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = i / 16;
    pts.push([left + (right - left) * t, top + dip * Math.sin(Math.PI * t)]);
  }
  const quad = (a: Point, c: Point, b: Point, t: number): Point => [
    (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * c[0] + t ** 2 * b[0],
    (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * c[1] + t ** 2 * b[1],
  ];
  const tip: Point = [0.5, bottom];
  for (let i = 0; i <= 24; i++) pts.push(quad([right, shoulder], [right, shoulder + 0.3], tip, i / 24));
  for (let i = 23; i >= 0; i--) pts.push(quad([left, shoulder], [left, shoulder + 0.3], tip, i / 24));
  return pts;
}

/** Check mark as a polyline in unit coordinates. */
const CHECK: Point[] = [
  [0.34, 0.5],
  [0.46, 0.63],
  [0.67, 0.37],
];

function insidePolygon(poly: Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [px, py] = p;
  const [ax, ay] = a;
  const [bx, by] = b;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function distanceToPolyline(pts: Point[], p: Point, closed: boolean): number {
  let best = Infinity;
  const n = closed ? pts.length : pts.length - 1;
  for (let i = 0; i < n; i++) best = Math.min(best, distanceToSegment(p, pts[i], pts[(i + 1) % pts.length]));
  return best;
}

/** Renders with 4x4 supersampling; `shade` returns the colour of a sample point in unit coordinates. */
function render(size: number, shade: (x: number, y: number) => Rgba): PNG {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          // Premultiplied accumulation so edges against transparency stay the right colour.
          r += c.r * c.a;
          g += c.g * c.a;
          b += c.b * c.a;
          a += c.a;
        }
      }
      const i = (py * size + px) * 4;
      png.data[i] = a === 0 ? 0 : Math.round(r / a);
      png.data[i + 1] = a === 0 ? 0 : Math.round(g / a);
      png.data[i + 2] = a === 0 ? 0 : Math.round(b / a);
      png.data[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return png;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const CLEAR: Rgba = { r: 0, g: 0, b: 0, a: 0 };
const ACCENT_RGBA: Rgba = { ...ACCENT, a: 1 };

export function drawColorIcon(): PNG {
  const shield = shieldPolygon();
  // The symbol sits in the middle 120x120 of 192 (the safe area), i.e. scaled to 62.5% around the centre.
  const scale = 0.625;
  const toSymbol = (x: number, y: number): Point => [(x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5];
  return render(192, (x, y) => {
    const p = toSymbol(x, y);
    if (distanceToPolyline(CHECK, p, false) < 0.055) return ACCENT_RGBA;
    if (insidePolygon(shield, p[0], p[1])) return WHITE;
    return ACCENT_RGBA;
  });
}

export function drawOutlineIcon(): PNG {
  const shield = shieldPolygon();
  // Fill most of the 32x32 canvas: strokes need every pixel at this size.
  const scale = 1.0;
  const toSymbol = (x: number, y: number): Point => [(x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.52];
  return render(32, (x, y) => {
    const p = toSymbol(x, y);
    if (distanceToPolyline(shield, p, true) < 0.045) return WHITE;
    if (distanceToPolyline(CHECK, p, false) < 0.05) return WHITE;
    return CLEAR;
  });
}

export function writeIcons(dir: string): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  fs.writeFileSync(color, PNG.sync.write(drawColorIcon()));
  fs.writeFileSync(outline, PNG.sync.write(drawOutlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  const out = writeIcons(path.resolve(__dirname, '..', 'appPackage'));
  console.log(`wrote ${path.relative(process.cwd(), out.color)} and ${path.relative(process.cwd(), out.outline)}`);
}
