// Ink entry point, imported only on a TTY: Ink reads CI at import time.
export { RunView, ScalePlot, SummaryTable, ReportView } from './components.js';
