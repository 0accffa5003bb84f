// The checkers work against any running platform given its brokers, topic prefix and expo id
// (and, for analytics, its URLs): an operator can point them at staging.
export * from './checkers/index.ts';
export { checkAnalyticsAgainstFresh } from './checkers/analytics-fresh.ts';
export { compareAnalytics, waitForAnalyticsEqual } from './checkers/analytics-equal.ts';
export { checkGroundTruth } from './checkers/ground-truth.ts';
export { checkReconcile } from './checkers/reconcile-drift.ts';
export { Journal, type MeetingAnswer, type PoisonRecord, type RegistrationAnswer, type ScanAnswer } from './journal.ts';
export { runChaos, type ChaosOptions } from './run.ts';
export { reportMarkdown, type ChaosReport, type FaultFigures } from './report.ts';
export { chaosProfile, type ChaosProfile } from './profiles.ts';
