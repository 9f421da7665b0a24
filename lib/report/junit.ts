// junit.xml: what CI systems show as test results. One <testsuite> per scenario run, one <testcase>
// per checker; a failing check is a <failure> with the checker's words and the replay command, a
// harness error (or a checker that threw) is an <error>. `unknown` is a failure of type "unknown":
// the run exits non-zero, so CI must not show it green. A missed budget is a failure of type "budget".
import { describePlatform } from '../run/environment.js';
import type { Summary } from '../run/summary.js';
import type { CheckResult } from '../types.js';
import { escapeXml, xmlAttr } from './xml.js';

export interface SuiteOptions {
  /** The testsuite's name; default the scenario name (stable across seeds, so CI can track it). */
  name?: string;
  /** Text for <system-out>, e.g. the terminal summary table. */
  systemOut?: string;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  time: number;
}

export interface JunitSuite {
  xml: string;
  counts: Counts;
}

const threw = (check: CheckResult): boolean => check.details.startsWith(`checker ${check.name} threw`);

export function junitSuite(summary: Summary, options: SuiteOptions = {}): JunitSuite {
  const classname = `stampede.${summary.scenario}`;
  const time = seconds(summary.durationMs);
  const footer = `\n\nscenario: ${summary.scenario}\nseed: ${summary.seed}\nreplay: ${summary.replay}\nresults: ${summary.runDir}`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (summary.harnessError) {
    errors++;
    cases.push(
      testcase(
        'harness',
        classname,
        `    <error message="${xmlAttr(summary.harnessError)}" type="harness-error">${escapeXml(summary.harnessError + footer)}</error>\n`,
      ),
    );
  }
  // A seed kept to fail (stress/seeds.json) that failed concluded what it must (exit 0): its checks that did
  // not pass are output, not CI failures. One more test case fails when the checkers no longer catch it.
  const keptToFail = summary.expect === 'fail';
  const caughtAsExpected = keptToFail && summary.verdict === 'fail' && !summary.harnessError;
  for (const check of summary.checks) {
    let body = '';
    if (check.verdict !== 'pass' && caughtAsExpected) {
      body = `    <system-out>${escapeXml(`${check.verdict}, as this kept seed is expected to: ${check.details}${footer}`)}</system-out>\n`;
    } else if (check.verdict !== 'pass' && threw(check)) {
      errors++;
      body = `    <error message="${xmlAttr(check.details.split('\n')[0] ?? '')}" type="checker-error">${escapeXml(check.details + footer)}</error>\n`;
    } else if (check.verdict !== 'pass') {
      failures++;
      // A budget miss is its own type, so CI never reads it as a broken invariant (a lost update).
      const type = check.kind === 'budget' && check.verdict === 'fail' ? 'budget' : check.verdict;
      body = `    <failure message="${xmlAttr(check.details)}" type="${type}">${escapeXml(`${type === 'budget' ? '' : `${check.verdict}: `}${check.details}${footer}`)}</failure>\n`;
    }
    cases.push(testcase(check.name, classname, body));
  }
  if (keptToFail && !summary.harnessError) {
    const missed = summary.verdict === 'pass';
    if (missed) failures++;
    const message =
      'this seed is kept because it fails (stress/seeds.json, expect: fail), but every check passed: the checkers no longer catch the bug';
    cases.push(
      testcase(
        'expected to fail',
        classname,
        missed
          ? `    <failure message="${xmlAttr(message)}" type="not-as-expected">${escapeXml(message + footer)}</failure>\n`
          : '',
      ),
    );
  }
  const tests = cases.length;
  const properties = [
    ['scenario', summary.scenario],
    ['seed', String(summary.seed)],
    ['verdict', summary.verdict],
    ['expect', summary.expect ?? 'pass'],
    ['replay', summary.replay],
    ...(summary.platform ? [['platform', describePlatform(summary.platform)]] : []),
    ['runDir', summary.runDir],
    ['agents', String(summary.options.agents)],
    ['opsPerAgent', String(summary.options.ops)],
    ['faults', summary.options.faults.join(',')],
    ['opsPerSec', String(summary.opsPerSec)],
    ['startSkewMs', summary.startSkewMs === null ? '' : String(summary.startSkewMs)],
    ...(summary.budgets ? [['budgetMultiplier', String(summary.budgets.multiplier)]] : []),
    ['codeCommit', summary.code.commit ?? ''],
  ]
    .map(([name, value]) => `      <property name="${xmlAttr(name ?? '')}" value="${xmlAttr(value ?? '', 4000)}"/>\n`)
    .join('');
  const out = options.systemOut === undefined ? '' : `    <system-out>${escapeXml(options.systemOut)}</system-out>\n`;
  const xml =
    `  <testsuite name="${xmlAttr(options.name ?? summary.scenario)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${time}" timestamp="${xmlAttr(summary.startedAt.slice(0, 19))}">\n` +
    `    <properties>\n${properties}    </properties>\n` +
    cases.join('') +
    out +
    `  </testsuite>\n`;
  return { xml, counts: { tests, failures, errors, time: summary.durationMs / 1000 } };
}

function testcase(name: string, classname: string, body: string): string {
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(classname)}" time="0"`;
  return body ? `${open}>\n${body.replace(/^ {4}/, '      ')}    </testcase>\n` : `${open}/>\n`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A whole junit.xml document from suites built by junitSuite. */
export function junitDocument(suites: readonly JunitSuite[], name = 'stampede'): string {
  const total = suites.reduce<Counts>(
    (sum, s) => ({
      tests: sum.tests + s.counts.tests,
      failures: sum.failures + s.counts.failures,
      errors: sum.errors + s.counts.errors,
      time: sum.time + s.counts.time,
    }),
    { tests: 0, failures: 0, errors: 0, time: 0 },
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xmlAttr(name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${total.time.toFixed(3)}">\n` +
    suites.map((s) => s.xml).join('') +
    `</testsuites>\n`
  );
}

export function junitXml(summary: Summary, systemOut?: string): string {
  return junitDocument([junitSuite(summary, systemOut === undefined ? {} : { systemOut })]);
}
