export { alertView, type AlertView, type ViewField, type ViewSection } from './view.ts';
export { accountText, regionText, regionsOf, severityText, timeText } from './text.ts';
export { bandSummary, bySeverityThenNewest, digestPart, type DigestPart } from './order.ts';
