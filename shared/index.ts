export * from './config/index.ts';
export { BAND_FLOOR, BAND_LABEL, SEVERITY_BANDS, bandOf, bandRank, thresholdScore, type SeverityBand } from './severity.ts';
export { AWS_REGIONS, consoleHost, findingConsoleUrl, isAwsRegion, partitionOf, type Partition } from './regions.ts';
