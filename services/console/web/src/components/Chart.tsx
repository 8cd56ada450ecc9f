import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A small uPlot time series (x in seconds); loaded lazily, so the first page needs none of it. */
export default function Chart({ label, x, series, height = 180, bars = false, band }: {
  label: string; x: number[]; series: { name: string; values: (number | null)[]; color: string }[]; height?: number; bars?: boolean;
  band?: boolean;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const width = Math.max(280, el.current.clientWidth);
    const plot = new uPlot({
      width, height,
      legend: { show: series.length > 1 },
      scales: band ? { y: { range: [0, 100] } } : undefined,
      axes: [{ stroke: '#4a5563' }, { stroke: '#4a5563', size: 44 }],
      series: [{}, ...series.map((s) => ({
        label: s.name, stroke: s.color, width: 2, fill: bars ? `${s.color}55` : undefined,
        paths: bars ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined, points: { show: !bars && x.length < 40 },
      }))],
    }, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el.current);
    return () => plot.destroy();
  }, [x, series, height, bars, band]);
  return <figure className="chart"><div ref={el} role="img" aria-label={label} /><figcaption className="sr-only">{label}</figcaption></figure>;
}
