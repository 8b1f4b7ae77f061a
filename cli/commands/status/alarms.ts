import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { call } from '../../aws/index.ts';

/** One CloudWatch alarm of the hub or of a region stack. */
export interface AlarmStatus {
  readonly name: string;
  /** The region the alarm lives in (a region stack's alarms live in its region). */
  readonly region: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  /** When the state last changed, ISO 8601. */
  readonly since: string | undefined;
  /** CloudWatch's reason for the state. */
  readonly reason: string | undefined;
  /** The alarm's description: what it watches and what to check. */
  readonly description: string | undefined;
}

/** Every metric and composite alarm whose name starts with `prefix` in the client's `region`, in name order. */
export async function readAlarms(cloudwatch: CloudWatchClient, prefix: string, region: string): Promise<AlarmStatus[]> {
  const alarms: AlarmStatus[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('DescribeAlarms', () =>
      cloudwatch.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          NextToken: nextToken,
        }),
      ),
    );
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      alarms.push({
        name: alarm.AlarmName ?? '?',
        region,
        state: alarm.StateValue ?? 'UNKNOWN',
        since: alarm.StateUpdatedTimestamp?.toISOString(),
        reason: alarm.StateReason,
        description: alarm.AlarmDescription,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}
