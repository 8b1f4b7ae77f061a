import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { call } from '../../aws/index.ts';

/** One CloudWatch alarm of the hub. */
export interface AlarmStatus {
  readonly name: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  /** When the state last changed, ISO 8601. */
  readonly since: string | undefined;
  /** CloudWatch's reason for the state. */
  readonly reason: string | undefined;
}

/** Every metric and composite alarm whose name starts with `prefix`, in name order. */
export async function readAlarms(cloudwatch: CloudWatchClient, prefix: string): Promise<AlarmStatus[]> {
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
        state: alarm.StateValue ?? 'UNKNOWN',
        since: alarm.StateUpdatedTimestamp?.toISOString(),
        reason: alarm.StateReason,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return alarms.sort((a, b) => a.name.localeCompare(b.name));
}
