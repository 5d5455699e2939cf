// @emergence/ui: renderers (pure text) for runs and results; Ink views live in `@emergence/ui/ink`.
export { renderScalePlot, formatScale, type PlotInput, type PlotPoint } from './plot.js';
export { renderTaskPlot, renderSummaryTable, renderReport } from './report.js';
export { initialProgress, reduceProgress, renderProgress, eta, bar, type ProgressState, type ModelRow, type TaskRow } from './progress.js';
