import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';

/**
 * Whether CloudTrail feeds the tamper rules in a region: EventBridge receives `AWS API Call via
 * CloudTrail` events only while a trail with logging on records them (EventBridge User Guide, "AWS
 * service events delivered via AWS CloudTrail"). GuardDuty calls are write management events.
 */

/** What the drift check needs to know about one trail. */
export interface TrailView {
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  /** `GetTrailStatus.IsLogging` */
  readonly logging: boolean;
  /** Its event selectors include write management events (basic or advanced selectors). */
  readonly writeManagementEvents: boolean;
}

/** The trail states of a region; only `logging` is healthy. */
export const TRAIL_STATUS = {
  ok: 'logging',
  none: 'no-trail',
  stopped: 'not-logging',
  unselected: 'no-management-events',
} as const;

/** The CloudTrail calls the check makes, in one region: `DescribeTrails` (shadow trails too), `GetTrailStatus`, `GetEventSelectors`. */
export interface TrailReader {
  trails(): Promise<readonly TrailView[]>;
}

/** The status of a region: a trail that covers it, is logging and records write management events. */
export function trailStatus(region: string, trails: readonly TrailView[]): string {
  const covering = trails.filter((trail) => trail.multiRegion || trail.homeRegion === region);
  if (covering.length === 0) return TRAIL_STATUS.none;
  const logging = covering.filter((trail) => trail.logging);
  if (logging.length === 0) return TRAIL_STATUS.stopped;
  return logging.some((trail) => trail.writeManagementEvents) ? TRAIL_STATUS.ok : TRAIL_STATUS.unselected;
}

/** Event selectors as `GetEventSelectors` returns them (the fields read). */
export interface EventSelectorsView {
  readonly EventSelectors?: readonly { readonly IncludeManagementEvents?: boolean; readonly ReadWriteType?: string }[];
  readonly AdvancedEventSelectors?: readonly {
    readonly FieldSelectors?: readonly { readonly Field?: string; readonly Equals?: readonly string[] }[];
  }[];
}

/** True when the selectors record write management events (basic: management on, not ReadOnly; advanced: category Management, readOnly absent or false). */
export function recordsWriteManagementEvents(selectors: EventSelectorsView): boolean {
  const basic = (selectors.EventSelectors ?? []).some(
    (s) => s.IncludeManagementEvents !== false && s.ReadWriteType !== 'ReadOnly',
  );
  const advanced = (selectors.AdvancedEventSelectors ?? []).some((selector) => {
    const equals = (field: string) => selector.FieldSelectors?.find((f) => f.Field === field)?.Equals;
    const readOnly = equals('readOnly');
    return (
      (equals('eventCategory') ?? []).includes('Management') && (readOnly === undefined || readOnly.includes('false'))
    );
  });
  return basic || advanced;
}

/**
 * A {@link TrailReader} over the AWS SDK in `region` (loaded on first use). Each trail's status and
 * selectors are read in its home region (a multi-region trail is a shadow elsewhere). `clientFor`
 * defaults to a new `CloudTrailClient` per region.
 */
export function sdkTrails(region: string, clientFor?: (region: string) => CloudTrailClient): TrailReader {
  const load = (async () => {
    const sdk = await import('@aws-sdk/client-cloudtrail');
    const clients = new Map<string, CloudTrailClient>();
    const client = (inRegion: string): CloudTrailClient => {
      const made = clients.get(inRegion) ?? clientFor?.(inRegion) ?? new sdk.CloudTrailClient({ region: inRegion });
      clients.set(inRegion, made);
      return made;
    };
    return { sdk, client };
  })();
  return {
    async trails() {
      const { sdk, client } = await load;
      const { trailList = [] } = await client(region).send(
        new sdk.DescribeTrailsCommand({ includeShadowTrails: true }),
      );
      return Promise.all(
        trailList.map(async (trail): Promise<TrailView> => {
          const name = trail.TrailARN ?? trail.Name ?? '';
          const home = client(trail.HomeRegion ?? region);
          const [status, selectors] = await Promise.all([
            home.send(new sdk.GetTrailStatusCommand({ Name: name })),
            home.send(new sdk.GetEventSelectorsCommand({ TrailName: name })),
          ]);
          return {
            arn: name,
            homeRegion: trail.HomeRegion ?? region,
            multiRegion: trail.IsMultiRegionTrail === true,
            logging: status.IsLogging === true,
            writeManagementEvents: recordsWriteManagementEvents(selectors),
          };
        }),
      );
    },
  };
}
