import { createHash } from 'node:crypto';
import type { Finding } from '../types.ts';

/** Longest key part kept verbatim; longer ones are hashed (DynamoDB allows 2,048 bytes in a partition key). */
const MAX_PART_LENGTH = 512;

/** The state-table key (`pk`) of one finding: `finding#<id>`. */
export function findingKey(finding: Pick<Finding, 'id'>): string {
  return `finding#${keyPart(finding.id)}`;
}

/**
 * The region-free key of the issue a finding is about: `issue#<type>#<accountId>#<resource label>`
 * (the finding id when the resource has no label). Findings with the same issue key in different
 * regions are one issue (an IAM access key or an S3 bucket seen by several regional detectors).
 */
export function issueKey(finding: Pick<Finding, 'id' | 'type' | 'accountId' | 'resource'>): string {
  const resource = finding.resource.label.trim() === '' ? finding.id : finding.resource.label;
  return `issue#${keyPart(finding.type)}#${keyPart(finding.accountId)}#${keyPart(resource)}`;
}

function keyPart(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= MAX_PART_LENGTH) return text;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
