export {
  DEFAULT_SAMPLE_TYPE,
  runSmoke,
  watchedMetrics,
  type SmokeOptions,
  type SmokeRegionResult,
  type SmokeReport,
} from './run.ts';
export { floorToMinute, metricSum, type WatchedMetric } from './metrics.ts';
