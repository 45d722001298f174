/**
 * ECharts with only the parts Flowscope draws: line, bar, box plot, scatter (outliers), pie, Sankey, heat map and world map charts, their
 * axes, legends, tooltips, brushing and colour scales, on canvas (on screen) and SVG (for export).
 */
import {
  BarChart,
  BoxplotChart,
  HeatmapChart,
  LineChart,
  MapChart,
  PieChart,
  SankeyChart,
  ScatterChart,
} from 'echarts/charts';
import {
  BrushComponent,
  GridComponent,
  LegendComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { WORLD_MAP } from '../../lib/chart-option';
import { worldGeoJson } from './world-map';

echarts.use([
  LineChart,
  BarChart,
  BoxplotChart,
  ScatterChart,
  PieChart,
  SankeyChart,
  HeatmapChart,
  MapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  BrushComponent,
  ToolboxComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
]);

echarts.registerMap(WORLD_MAP, worldGeoJson() as Parameters<typeof echarts.registerMap>[1]);

export { echarts };
