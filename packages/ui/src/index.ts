// @emergence/ui: renderers (pure text, SVG and HTML) for runs and results; Ink views live in `@emergence/ui/ink`.
export { renderScalePlot, formatScale, type PlotInput, type PlotPoint } from './plot.js';
export { renderTaskPlot, renderSummaryTable, renderReport, taskSeries, axisName, type TaskSeries } from './report.js';
export { renderTaskSvg, svgFileName, escapeXml, wrapWords, type SvgOptions } from './svg.js';
export { renderHtmlReport, renderSummaryHtml, renderTaskSectionsHtml, renderComparisonHtml, reportCss } from './html.js';
export { initialProgress, reduceProgress, renderProgress, eta, bar, type ProgressState, type ModelRow, type TaskRow } from './progress.js';
