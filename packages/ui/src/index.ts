// @emergence/ui: renderers (pure text, SVG and HTML) for runs and results; Ink views live in `@emergence/ui/ink`.
export { renderScalePlot, type PlotInput, type PlotPoint } from './plot.js';
export { composeReport, renderTaskPlot, renderSummaryTable, renderReport, type ReportSections, taskSeries, axisName, tableLegend, headlineShots, type TaskSeries } from './report.js';
export { renderTaskSvg, svgFileName, escapeXml, type SvgOptions } from './svg.js';
export { wrapWords } from './wrap.js';
export { renderHtmlReport, renderSummaryHtml, renderTaskSectionsHtml, renderComparisonHtml, reportCss } from './html.js';
export { initialProgress, reduceProgress, renderProgress, eta, runEta, bar, type ProgressState, type ModelRow, type TaskRow } from './progress.js';
