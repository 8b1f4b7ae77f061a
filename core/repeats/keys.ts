export {
  findingKey,
  incidentNotificationKey,
  issueKey,
  issueNotificationKey,
  notificationKey,
  withLane,
} from '../state-keys.ts';
