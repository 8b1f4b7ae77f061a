export { findingKey, issueKey } from '../state-keys.ts';
