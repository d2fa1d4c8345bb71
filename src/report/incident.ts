import type { getOctokit } from '@actions/github';

import { errorMessage } from '../errors.js';
import type { IncidentSettings } from '../inputs/read.js';
import { isFailing } from '../run/outcome.js';
import {
  renderFailureComment,
  renderIssueBody,
  renderRecoveryComment,
  type RunLink,
} from './incident-comment.js';
import type { Reporter } from './reporter.js';
import type { SummaryData } from './summary-sections.js';

export interface IncidentOptions {
  settings: IncidentSettings;
  /** What the run found: commands, triage and upload links. */
  summary: SummaryData;
  /** Whether `no-tests` fails the run (the `fail-on-no-tests` input). */
  failOnNoTests: boolean;
  /** GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_WORKFLOW, GITHUB_SERVER_URL, GITHUB_RUN_*. */
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
}

export interface IncidentResult {
  action: 'none' | 'created' | 'commented' | 'closed';
  issueNumber?: number;
  issueUrl?: string;
}

type Client = ReturnType<typeof getOctokit>;

interface Repository {
  owner: string;
  repo: string;
}

/**
 * The runbook's hand-off to the tracker: one open issue per workflow, titled
 * "Health check failing: <workflow>". A failing run comments on it (or opens it); a passing
 * run closes it. Problems are warnings, never a failure of the step: the diagnostics are
 * already collected by then.
 */
export async function syncIncidentIssue(options: IncidentOptions): Promise<IncidentResult> {
  const { settings, summary, env, reporter } = options;
  const outcomes = summary.commands.map((record) => record.outcome);
  const failed = outcomes.some((outcome) => isFailing(outcome, options.failOnNoTests));
  const passed = !failed && outcomes.includes('success');
  const wanted = (failed && settings.openOnFailure) || (passed && settings.closeOnSuccess);
  if (!wanted) return { action: 'none' };

  const repository = parseRepository(env.GITHUB_REPOSITORY);
  if (!settings.token || !repository) {
    const missing = settings.token ? 'GITHUB_REPOSITORY (not running in Actions?)' : 'a token';
    reporter.warning(`Incident issue skipped: no ${missing}; set the \`github-token\` input.`);
    return { action: 'none' };
  }
  reporter.setSecret(settings.token);

  const workflow = env.GITHUB_WORKFLOW || 'unnamed workflow';
  const title = `Health check failing: ${workflow}`;
  const run = runLink(env, repository);
  // Loaded only when the incident hook is on: a run without it does not pay the load time.
  const { getOctokit: makeClient } = await import('@actions/github');
  const client = makeClient(settings.token, {
    baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
  });

  try {
    const existing = await findIssue(client, repository, settings.labels, title);
    if (failed) return await reportFailure(client, repository, existing, options, title, run);
    if (!existing) return { action: 'none' };
    await client.rest.issues.createComment({
      ...repository,
      issue_number: existing.number,
      body: renderRecoveryComment(run),
    });
    await client.rest.issues.update({
      ...repository,
      issue_number: existing.number,
      state: 'closed',
      state_reason: 'completed',
    });
    reporter.info(`Closed incident issue #${existing.number}: ${existing.html_url}`);
    return { action: 'closed', issueNumber: existing.number, issueUrl: existing.html_url };
  } catch (error) {
    reporter.warning(incidentWarning(error));
    return { action: 'none' };
  }
}

async function reportFailure(
  client: Client,
  repository: Repository,
  existing: FoundIssue | null,
  options: IncidentOptions,
  title: string,
  run: RunLink,
): Promise<IncidentResult> {
  const { summary, reporter, settings } = options;
  if (existing) {
    await client.rest.issues.createComment({
      ...repository,
      issue_number: existing.number,
      body: renderFailureComment(summary, run),
    });
    reporter.info(`Commented on incident issue #${existing.number}: ${existing.html_url}`);
    return { action: 'commented', issueNumber: existing.number, issueUrl: existing.html_url };
  }

  const workflow = title.slice('Health check failing: '.length);
  const { data } = await client.rest.issues.create({
    ...repository,
    title,
    body: renderIssueBody(summary, run, workflow),
    labels: settings.labels,
  });
  reporter.info(`Opened incident issue #${data.number}: ${data.html_url}`);
  return { action: 'created', issueNumber: data.number, issueUrl: data.html_url };
}

interface FoundIssue {
  number: number;
  html_url: string;
}

/**
 * The open issue with this title among those carrying the labels. Listing (not the search
 * API, which indexes with a delay) sees an issue the run before just opened. The oldest wins
 * if a person opened a second one by hand.
 */
async function findIssue(
  client: Client,
  repository: Repository,
  labels: string[],
  title: string,
): Promise<FoundIssue | null> {
  const matches: FoundIssue[] = [];
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    ...repository,
    state: 'open',
    labels: labels.join(','),
    per_page: 100,
  });
  for await (const page of pages) {
    for (const issue of page.data) {
      if (!issue.pull_request && issue.title === title) matches.push(issue);
    }
  }
  matches.sort((a, b) => a.number - b.number);
  return matches[0] ?? null;
}

function parseRepository(value: string | undefined): Repository | null {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value ?? '');
  return match ? { owner: match[1] as string, repo: match[2] as string } : null;
}

function runLink(env: NodeJS.ProcessEnv, repository: Repository): RunLink {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  const runId = env.GITHUB_RUN_ID ?? '';
  const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
  const base = `${server}/${repository.owner}/${repository.repo}/actions/runs/${runId}`;
  const url = attempt === '1' ? base : `${base}/attempts/${attempt}`;
  const label = `run ${runId}${attempt === '1' ? '' : ` (attempt ${attempt})`}`;
  return { url, label };
}

function incidentWarning(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  if (status === 403 && !/rate limit/i.test(errorMessage(error))) {
    return (
      'Incident issue not updated: the token may not write issues (HTTP 403). Give the job ' +
      '`permissions: issues: write` (or pass a `github-token` that can).'
    );
  }
  return `Incident issue not updated: ${errorMessage(error)}`;
}
