import type { SeverityBand } from '../../shared/severity.ts';

/** A name and its value, such as `Account` and `prod (444444444444)`. */
export type ViewField = readonly [name: string, value: string];

/** What a finding's family adds below its description. */
export type ViewSection =
  /** A titled list (signals, threats, scanned items), the first `shown` of it worth showing. */
  | { readonly kind: 'list'; readonly title: string; readonly entries: readonly string[]; readonly shown: number }
  /** Lists side by side (an attack sequence's resources, actors and endpoints). */
  | {
      readonly kind: 'lists';
      readonly lists: readonly (readonly [title: string, entries: readonly string[]])[];
      readonly shown: number;
    }
  /** Name/value pairs (a runtime finding's process). */
  | { readonly kind: 'fields'; readonly fields: readonly ViewField[] }
  /** `Part of an attack sequence: <link>`; without a url, the label alone. */
  | { readonly kind: 'link'; readonly prefix: string; readonly label: string; readonly url: string | undefined };

/** One alert as every destination shows it. Text is raw (unescaped). */
export interface AlertView {
  readonly band: SeverityBand;
  /** `High 8.0` */
  readonly severity: string;
  /** `GuardDuty finding`, `GuardDuty malware scan result`. */
  readonly what: string;
  /** A sample GuardDuty made on request (CreateSampleFindings): destinations say so where a reader looks first. */
  readonly sample: boolean;
  readonly title: string;
  /** Where the title and the footer link to: the finding in the GuardDuty console (for a scan result, the object). */
  readonly url: string;
  /** Account, Region(s), Type, Resource, Count, Severity, First seen, Last seen. */
  readonly fields: readonly ViewField[];
  readonly description: string;
  readonly sections: readonly ViewSection[];
  /** The footer: the console link's label, what the id names (`finding`), and the id. */
  readonly footer: { readonly linkLabel: string; readonly idLabel: string; readonly id: string };
  /** One line for a notification: `High GuardDuty finding in prod (444…) us-east-1: <title>`. */
  readonly summary: string;
}
