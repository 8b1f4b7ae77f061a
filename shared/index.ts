export * from './config/index.ts';
export * from './guard/index.ts';
export { BAND_FLOOR, BAND_LABEL, SEVERITY_BANDS, bandOf, bandRank, thresholdScore, type SeverityBand } from './severity.ts';
export { DEAD_LETTER_ATTRIBUTES, DEAD_LETTER_KINDS, DEAD_LETTER_REASON_MAX_CHARS, DLQ_URL_ENV, type DeadLetterKind } from './dead-letter.ts';
export { MAX_VISIBILITY_SECONDS, REDELIVERY_FACTOR, REDELIVERY_JITTER, longestStaySeconds, outageSurvivedSeconds, redeliverySeconds, redeliveryStepSeconds, type RedeliverySettings } from './redelivery.ts';
export { AWS_REGIONS, consoleHost, findingConsoleUrl, isAwsRegion, partitionOf, type Partition } from './regions.ts';
