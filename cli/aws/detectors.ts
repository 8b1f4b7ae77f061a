import { ListDetectorsCommand, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { regionStackName } from '../../shared/index.ts';
import { call } from './errors.ts';

/** The id of the first GuardDuty detector in the client's region (an account has at most one), if any. */
export async function firstDetectorId(guardduty: GuardDutyClient): Promise<string | undefined> {
  const { DetectorIds: ids = [] } = await call('ListDetectors', () => guardduty.send(new ListDetectorsCommand({})));
  return ids[0];
}

/** What to say when a region has no detector: the region stack creates it. */
export function noDetectorProblem(region: string): string {
  return `no GuardDuty detector (has the ${regionStackName(region)} stack been deployed?)`;
}
