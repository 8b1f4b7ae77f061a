/**
 * How long a triage job (a verified click the front hands to the worker by an asynchronous
 * self-invocation) stays runnable, in seconds: 5 minutes. Lambda keeps an asynchronous event no longer
 * than this (the triage function's event invoke config) and the worker refuses an older job, so a
 * sealed job captured and sent to the function again later does nothing.
 */
export const TRIAGE_JOB_MAX_AGE_SECONDS = 300;
