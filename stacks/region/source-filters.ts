import { Construct } from 'constructs';
import {
  GuarddutyFilter,
  type GuarddutyFilterFindingCriteriaCriterion,
} from '@cdktf/provider-aws/lib/guardduty-filter/index.js';
import { sourceFiltersFor, type FilterCriterion, type HubConfig } from '../../shared/index.ts';

/** A criterion in the binding's terms (`equalTo` is its name for Terraform's `equals`). */
function criterionOf(criterion: FilterCriterion): GuarddutyFilterFindingCriteriaCriterion {
  const out: {
    -readonly [K in keyof GuarddutyFilterFindingCriteriaCriterion]: GuarddutyFilterFindingCriteriaCriterion[K];
  } = { field: criterion.field };
  if (criterion.equals !== undefined) out.equalTo = [...criterion.equals];
  if (criterion.lessThan !== undefined) out.lessThan = criterion.lessThan;
  return out;
}

/** Props of {@link SourceFilters}. */
export interface SourceFiltersProps {
  /** `hub` (names) and `suppress` (the rules with `at: source`). */
  readonly config: Pick<HubConfig, 'hub' | 'suppress'>;
  /** The region of the detector. */
  readonly region: string;
  /** The administrator's detector in that region (a filter on it archives members' findings too). */
  readonly detectorId: string;
}

/**
 * One GuardDuty filter (action ARCHIVE) per `suppress` rule with `at: source` that applies in the
 * region: GuardDuty archives matching findings as they arrive, so they never reach EventBridge.
 */
export class SourceFilters extends Construct {
  /** Filters by name. */
  readonly filters: ReadonlyMap<string, GuarddutyFilter>;

  constructor(scope: Construct, id: string, props: SourceFiltersProps) {
    super(scope, id);
    const { config, region, detectorId } = props;
    this.filters = new Map(
      sourceFiltersFor(config, region).map((filter) => [
        filter.name,
        new GuarddutyFilter(this, filter.name, {
          detectorId,
          name: filter.name,
          description: filter.description,
          action: 'ARCHIVE',
          rank: filter.rank,
          findingCriteria: {
            criterion: filter.criteria.map(criterionOf),
          },
        }),
      ]),
    );
  }
}
