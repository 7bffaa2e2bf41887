/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one test suite per capture,
 * one test case per side replayed, failed with the first divergence as its message and the whole
 * report as its output. Written with junit-report-builder.
 */
import junit from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import type { ReplayOutcome } from './run.ts';
import { reportText, verdictLine } from './report-text.ts';

export function writeJunit(outcomes: readonly ReplayOutcome[], path: string): void {
  // The package is CommonJS whose module.exports is the builder itself: that is the default import
  // at run time, whatever the bundled typings say about the namespace.
  const b = (junit as unknown as Builder).newBuilder();
  const suites = new Map<string, ReturnType<typeof b.testSuite>>();
  for (const o of outcomes) {
    let suite = suites.get(o.capture);
    if (!suite) {
      suite = b.testSuite().name(`buddyshark replay ${o.capture}`);
      suites.set(o.capture, suite);
    }
    const tc = suite.testCase().className(`replay.${o.capture.replace(/\./g, '_')}`).name(`against ${o.against} (${o.level})`).time(o.wallMs / 1000);
    tc.standardOutput(reportText(o, (_s, t) => t).join('\n'));
    if (!o.matched) tc.failure(verdictLine(o), 'divergence');
  }
  b.writeTo(path);
}
