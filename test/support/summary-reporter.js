/**
 * Ends every jest run with one plain line, `N passed, N failed`, which CI reads as the verdict.
 * Counts are jest's own (tests, not suites); a suite that could not even run counts as a failure so a
 * broken import can never look green.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
