import { createHash } from 'node:crypto';
import type { Finding } from '../types.ts';

/** Longest key part kept verbatim; longer ones are hashed (DynamoDB allows 2,048 bytes in a partition key). */
const MAX_PART_LENGTH = 512;

/** The state-table key (`pk`) of one finding: `finding#<id>`. */
export function findingKey(finding: Pick<Finding, 'id'>): string {
  return `finding#${keyPart(finding.id)}`;
}

/**
 * The region-free key of the issue a finding is about, `issue#<type>#<accountId>#<fold identity>`, or
 * undefined when the resource has no exact global identity (`Finding.foldIdentity`). Only findings
 * that share it, from different regions, may be folded into one message: GuardDuty keeps one finding
 * id per issue per region, so two ids from one region are two issues, whatever their resource.
 */
export function issueKey(finding: Pick<Finding, 'type' | 'accountId' | 'foldIdentity'>): string | undefined {
  if (finding.foldIdentity === undefined) return undefined;
  return `issue#${keyPart(finding.type)}#${keyPart(finding.accountId)}#${keyPart(finding.foldIdentity)}`;
}

function keyPart(text: string): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so a short text needs no count.
  if (text.length * 3 <= MAX_PART_LENGTH || Buffer.byteLength(text, 'utf8') <= MAX_PART_LENGTH) return text;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
