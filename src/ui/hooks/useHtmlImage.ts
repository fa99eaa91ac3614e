// Loads a data URL into an HTMLImageElement for Konva; null until loaded (or when there is no URL).
// Browser-only. Reference: react-konva's use-image pattern.
import { useEffect, useState } from 'react';

export function useHtmlImage(src: string | null): HTMLImageElement | null {
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    if (!src) return setImage(null);
    const img = new Image();
    let isLive = true;
    img.onload = () => isLive && setImage(img);
    img.src = src;
    return () => {
      isLive = false;
    };
  }, [src]);
  return image;
}
