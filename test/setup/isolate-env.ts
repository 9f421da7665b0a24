// Runs in every test worker before its tests. On GitHub Actions GITHUB_STEP_SUMMARY is set, and every run
// a test makes (in-process or a real CLI process, which inherits this environment) would append its
// summary.md to the job's page. The one test of that append sets the variable to a file of its own.
delete process.env.GITHUB_STEP_SUMMARY;
