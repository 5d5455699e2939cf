// Ink views over the pure renderers: the live run, the per-task scale plots
// and the summary table.
import { Box, Text } from 'ink';
// In scope for the classic JSX transform too: tsx compiles this file with the
// tsconfig of the folder it runs from, which may not say "react-jsx".
import React from 'react';
import type { Result } from '@emergence/core';
import { renderProgress, type ProgressState } from '../progress.js';
import { composeReport, renderSummaryTable, renderTaskPlot } from '../report.js';

const verdictColor = { emergent: 'green', 'metric-induced': 'yellow', smooth: 'cyan', 'non-monotone': 'magenta', flat: 'gray', 'insufficient-data': 'gray' } as const;

void React;

/**
 * The live view. With `rows` and `columns` (the terminal's size) it keeps the
 * frame shorter than the screen: Ink clears the whole terminal, scrollback
 * included, before a frame as tall as the screen.
 */
export function RunView({ state, rows, columns }: { state: ProgressState; rows?: number; columns?: number }) {
  // Lines wider than the terminal wrap and make the frame taller than it looks: cut them.
  const width = columns && columns > 0 ? columns : 80;
  const all = renderProgress(state, width);
  const limit = rows && rows > 0 ? Math.max(3, rows - 1) : Infinity;
  const lines = (all.length > limit ? [...all.slice(0, limit - 1), `… ${all.length - limit + 1} more line(s): a taller terminal shows them`] : all).map((line) => line.slice(0, width));
  const [title, models, ...rest] = lines;
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text>{models}</Text>
      {rest.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of text redrawn whole each frame; position is their identity
        <Text key={i} color={line.startsWith('!') ? 'yellow' : undefined}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

export function ScalePlot({ result, taskId, width = 66 }: { result: Result; taskId: string; width?: number }) {
  const task = result.tasks.find((t) => t.id === taskId);
  if (!task) return <Text color="red">no task {taskId}</Text>;
  const [title, ...lines] = renderTaskPlot(result, task, width);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold color={verdictColor[task.analysis.verdict]}>
        {title}
      </Text>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of text redrawn whole each frame; position is their identity
        <Text key={i}>{line}</Text>
      ))}
      <Box paddingLeft={5}>
        <Text dimColor>{task.analysis.reason}</Text>
      </Box>
    </Box>
  );
}

export function SummaryTable({ result, width = 80 }: { result: Result; width?: number }) {
  const [header, names, rule, ...rows] = renderSummaryTable(result, width);
  return (
    <Box flexDirection="column">
      <Text bold>{header}</Text>
      <Text dimColor>{names}</Text>
      <Text>{rule}</Text>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of text redrawn whole each frame; position is their identity
        <Text key={i}>{row}</Text>
      ))}
    </Box>
  );
}

/** The report as `bench report` prints it (composeReport's sections), in colour. */
export function ReportView({ result, width = 80 }: { result: Result; width?: number }) {
  const sections = composeReport(result);
  return (
    <Box flexDirection="column">
      <Box marginBottom={1}>
        <Text>{sections.title}</Text>
      </Box>
      {sections.tasks.map((t) => (
        <ScalePlot key={t.id} result={result} taskId={t.id} width={Math.min(66, width - 14)} />
      ))}
      <SummaryTable result={result} width={width} />
      <Text dimColor>{sections.legend}</Text>
      {sections.failed.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two failures may read alike; their order is their identity
        <Text key={i} color="red">
          {line}
        </Text>
      ))}
    </Box>
  );
}
