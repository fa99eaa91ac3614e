// Konva rendering of the operation in progress (stroke, eraser path, polygon/lasso), in image pixels.
// Display only: the committed mask comes from raster.ts, never from these nodes. Reference: the studio's mask editor.
import { Line } from 'react-konva';
import type { MaskOp } from '../../editor/index';

type Props = { op: MaskOp | null; color: string; scale: number };

export function PreviewShape({ op, color, scale }: Props) {
  if (!op || op.kind === 'fill' || op.kind === 'region' || op.kind === 'clear') return null;
  const points = op.points.flatMap((p) => [p.x, p.y]);
  if (op.kind === 'stroke') {
    const isErase = op.mode === 'erase';
    return (
      <Line
        points={points.length === 2 ? [...points, ...points] : points}
        stroke={isErase ? '#ffffff' : color}
        opacity={isErase ? 0.7 : 0.8}
        strokeWidth={op.radius * 2}
        lineCap="round"
        lineJoin="round"
        listening={false}
      />
    );
  }
  return <Line points={points} closed stroke={color} strokeWidth={2 / scale} dash={[6 / scale, 4 / scale]} fill={color} opacity={0.5} listening={false} />;
}
