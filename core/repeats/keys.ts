export { findingKey, issueKey, issueNotificationKey, notificationKey, withLane } from '../state-keys.ts';
