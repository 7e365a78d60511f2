// What each phase says to its model. The instructions come from the built-in prompts
// (server/prompts/*.md); a role's `system_prompt` in the config replaces the system message, and the
// phase's instructions then open the user message instead, so the formats the engine parses are still
// asked for. Pure, apart from reading the prompt files once.
import type { ApplyProblem } from '../edits/working-copy';
import { formatContextFile } from '../context/context-block';
import type { ChatMessage } from '../providers/language-model';
import { estimatePromptTokens } from '../providers/token-estimate';
import { builtInPrompt, fillPrompt, type PromptName } from '../prompts';
import type { Subtask } from './decompose';
import type { Review } from './review';

export function instructed(name: PromptName, override: string | undefined, user: string, values: Readonly<Record<string, string>> = {}): ChatMessage[] {
  const instructions = fillPrompt(builtInPrompt(name), values);
  if (override === undefined) return [{ role: 'system', content: instructions }, { role: 'user', content: user }];
  return [{ role: 'system', content: override }, { role: 'user', content: `${instructions}\n\n${user}` }];
}

export interface SpecialistNote {
  name: string;
  description: string | undefined;
}

/** What the mayor is shown of the project before it plans: the map, and the --context material. */
export interface ProjectView {
  map: string | undefined;
  sections: readonly string[];
}

export function decomposeMessages(task: string, maxSubtasks: number, specialists: readonly SpecialistNote[], override: string | undefined, project: ProjectView = { map: undefined, sections: [] }): ChatMessage[] {
  const list = specialists.length === 0 ? 'There are no specialists.' : `Specialists:\n${specialists.map((specialist) => `- ${specialist.name}${specialist.description ? `: ${specialist.description}` : ''}`).join('\n')}`;
  const parts = [`Task:\n${task}`];
  parts.push(project.map === undefined ? 'The project is empty: every file is new.' : `The project (a map of its files and what they define, the most relevant first):\n${project.map}`);
  parts.push(...project.sections);
  return instructed('mayor-decompose', override, parts.join('\n\n'), { max_subtasks: String(maxSubtasks), specialists: list });
}

function numbered(subtasks: readonly Subtask[]): string {
  return subtasks.map((subtask) => `${subtask.index}. ${subtask.text}`).join('\n');
}

export function coordinateMessages(task: string, subtasks: readonly Subtask[], override: string | undefined): ChatMessage[] {
  return instructed('mayor-coordinate', override, `Task:\n${task}\n\nSubtasks:\n${numbered(subtasks)}`);
}

export interface DependencyOutput {
  index: number;
  text: string;
  answer: string;
}

export interface WorkerBrief {
  task: string;
  subtask: Subtask;
  total: number;
  /** The mayor's coordination brief, when there is one. */
  brief: string | undefined;
  dependencies: readonly DependencyOutput[];
  /** What every worker of the run is shown alike (the selection, the project map, --context): prompt sections. */
  shared?: readonly string[];
  /** Its own: its files as they are now, the map around them: prompt sections. */
  material?: readonly string[];
}

/**
 * The smallest prefix a provider caches (Anthropic's Sonnet, OpenAI): a shorter one is not marked,
 * since a breakpoint would only hold the other workers back (prefix-warmup.ts) for nothing.
 */
export const MIN_CACHED_PREFIX_TOKENS = 1024;

/**
 * A worker's first turn in two parts. First what every worker of the run is shown alike, the same bytes
 * in each (instructions, task, the mayor's brief, shared material: nothing of the subtask, no ids, no
 * times), marked as the end of a prefix to cache when other workers will repeat it; then its own: its
 * subtask, its files, what it builds on.
 */
export function workerMessages(work: WorkerBrief, override: string | undefined): ChatMessage[] {
  const shared = [`The whole task:\n${work.task}`];
  if (work.brief) shared.push(`The mayor's brief, shared by every worker:\n${work.brief}`);
  shared.push(...(work.shared ?? []));
  const own = [`Your subtask (${work.subtask.index} of ${work.total}):\n${work.subtask.text}`, ...(work.material ?? [])];
  for (const dependency of work.dependencies) {
    own.push(`Output of subtask ${dependency.index}, which yours builds on (${dependency.text.split('\n')[0]}):\n${dependency.answer}`);
  }
  const [system, opening] = instructed('polecat', override, shared.join('\n\n'));
  const cached = work.total > 1 && estimatePromptTokens([system, opening]) >= MIN_CACHED_PREFIX_TOKENS;
  return [system, cached ? { ...opening, cacheBreakpoint: true } : opening, { role: 'user', content: own.join('\n\n') }];
}

export const ANSWER_FORMAT = 'Existing files: SEARCH/REPLACE edits, the SEARCH lines copied exactly from the file as shown. New files: whole, in ===FILE: path=== … ===ENDFILE=== blocks.';

/** Each file an edit could not apply to, with why and its current content (or the closest lines the reason names). */
function describeApplyProblems(problems: readonly ApplyProblem[]): string {
  const byFile = new Map<string, ApplyProblem[]>();
  for (const problem of problems) byFile.set(problem.path, [...(byFile.get(problem.path) ?? []), problem]);
  const parts: string[] = [];
  for (const [path, fileProblems] of byFile) {
    parts.push(fileProblems.map((problem) => `- ${problem.message}`).join('\n'));
    const current = fileProblems[0].current;
    // Whole when it fits; a large file's closest lines are in the messages already.
    if (current !== undefined && current.length <= 48_000) parts.push(`${path} as it is now:\n${formatContextFile({ path, kind: 'whole', text: current }).slice(path.length + 1)}`);
  }
  return parts.join('\n\n');
}

/** The validate phase's one corrective turn, after the worker's answer. */
export function correctionMessage(problems: readonly string[], applyProblems: readonly ApplyProblem[] = []): ChatMessage {
  const parts = ['Your answer cannot be used as it is:'];
  if (problems.length > 0) parts.push(problems.map((problem) => `- ${problem}`).join('\n'));
  if (applyProblems.length > 0) parts.push(describeApplyProblems(applyProblems));
  parts.push(`Answer again with every change your subtask needs — not only the ones that failed. ${ANSWER_FORMAT}`);
  return { role: 'user', content: parts.join('\n\n') };
}

/** Edits that no longer apply (another worker changed the file first), with the files as they are now. */
export function applyProblemsMessage(problems: readonly ApplyProblem[], opening: string): ChatMessage {
  return { role: 'user', content: [opening, describeApplyProblems(problems), `Answer again with every change your subtask needs, against the files as they are now. ${ANSWER_FORMAT}`].join('\n\n') };
}

/**
 * The witness sees the worker's answer and, when it edited files, each file as it would be: findings
 * then carry the line numbers of the file, not of the answer.
 */
export function reviewMessages(task: string, subtask: Subtask, answer: string, after: readonly { path: string; content: string }[], override: string | undefined): ChatMessage[] {
  const parts = [`The whole task:\n${task}`, `The subtask (${subtask.index}):\n${subtask.text}`, `The worker's output:\n${answer}`];
  const shown = after.filter((file) => file.content.length <= 48_000);
  if (shown.length > 0) parts.push(`The files as they are with the worker's changes (give findings at these line numbers):\n\n${shown.map((file) => formatContextFile({ path: file.path, kind: 'whole', text: file.content })).join('\n\n')}`);
  return instructed('witness', override, parts.join('\n\n'));
}

/** The witness's verdict sent back to the worker that wrote the answer. */
export function feedbackMessage(review: Review): ChatMessage {
  const findings = review.findings.map((finding) => `- ${finding.file}:${finding.line}${finding.column === undefined ? '' : `:${finding.column}`}: ${finding.severity}: ${finding.message}`);
  return {
    role: 'user',
    content: [`A reviewer scored your work ${review.score === undefined ? 'low' : `${review.score}/10`}${review.reason ? `: ${review.reason}` : '.'}`, ...(findings.length > 0 ? ['Findings:', ...findings] : []), '', `Fix every point and answer again with all your changes, as in your last answer (the files are as they were before it). ${ANSWER_FORMAT}`].join('\n'),
  };
}

/** The answer's text outside its file blocks and code fences. */
function proseOf(answer: string): string {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  if (/^\s*FILENAME:/.test(lines.find((line) => line.trim() !== '') ?? '')) return '';
  const prose: string[] = [];
  let inFile = false;
  let fence: string | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (inFile) {
      inFile = !/^===\s*ENDFILE\s*===$/.test(trimmed);
    } else if (/^===\s*FILE:/.test(trimmed)) {
      inFile = true;
    } else if (fence !== undefined) {
      if (trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed)) fence = undefined;
    } else if (/^(`{3,}|~{3,})/.test(trimmed)) {
      fence = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    } else {
      prose.push(line);
    }
  }
  return prose.join('\n').trim();
}

const OUTLINE_PROSE_LIMIT = 2000;

/** An answer without its files' contents: what the synthesis needs, at a fraction of the tokens. */
export function outlineAnswer(answer: string, files: readonly { path: string; content: string }[]): string {
  const prose = proseOf(answer);
  const listed = files.map((file) => `- ${file.path} (${file.content.split('\n').length - 1} lines)`).join('\n');
  const limited = prose.length > OUTLINE_PROSE_LIMIT ? `${prose.slice(0, OUTLINE_PROSE_LIMIT)}…` : prose;
  return [listed ? `Files:\n${listed}` : 'No files.', limited].filter((part) => part !== '').join('\n');
}

export interface SubtaskResult {
  index: number;
  text: string;
  status: string;
  outline: string;
}

export function synthesizeMessages(task: string, results: readonly SubtaskResult[], override: string | undefined): ChatMessage[] {
  const body = results.map((result) => `## Subtask ${result.index} (${result.status}): ${result.text.split('\n')[0]}\n${result.outline}`).join('\n\n');
  return instructed('mayor-synthesize', override, `Task:\n${task}\n\nResults:\n${body}`);
}

export function polishMessages(task: string, synthesis: string, override: string | undefined): ChatMessage[] {
  return instructed('refinery-summarize', override, `Task:\n${task}\n\nSummary:\n${synthesis}`);
}

export interface FailingFile {
  path: string;
  /** Its text now; undefined when it is missing (the build may have removed it). */
  content: string | undefined;
  /** `LINE[:COL]: message`, one per error. */
  errors: string[];
}

/**
 * A fix subtask after a failed build: to the worker that wrote the files (its subtask, each failing
 * file as it is now, and its errors), or — without a subtask — to a general fixer for files nobody owns.
 */
export function fixMessages(task: string, subtask: Subtask | undefined, command: string, files: readonly FailingFile[], otherErrors: readonly string[], override: string | undefined, runDiff?: string, tests: readonly { path: string; content: string | undefined }[] = []): ChatMessage[] {
  const parts = [`The whole task:\n${task}`];
  parts.push(subtask ? `Your subtask (${subtask.index}):\n${subtask.text}\n\nThe project's build (\`${command}\`) fails in files you wrote. Fix them.` : `The project's build (\`${command}\`) fails in files no one on the team owns. Fix them.`);
  for (const file of files) {
    parts.push(`${file.path} — ${file.content === undefined ? 'missing (write it again)' : 'as it is now'}:\n${file.content === undefined ? '' : `\`\`\`\n${file.content}\`\`\`\n`}Errors:\n${file.errors.map((error) => `- ${file.path}${/^\d/.test(error) ? ':' : ': '}${error}`).join('\n')}`);
  }
  const shownTests = tests.filter((test) => test.content !== undefined);
  if (shownTests.length > 0) parts.push(`The failing tests, for reference — fix the code they test; change a test only if it is wrong, and never delete, skip or weaken one:\n\n${shownTests.map((test) => formatContextFile({ path: test.path, kind: 'whole', text: test.content as string })).join('\n\n')}`);
  if (otherErrors.length > 0) parts.push(`The build also says:\n${otherErrors.join('\n')}`);
  // Files nobody on the team changed usually break because of what the team changed elsewhere.
  if (!subtask && runDiff) parts.push(`What this run changed (a diff), which is likely why they no longer build:\n\`\`\`diff\n${runDiff}\`\`\``);
  parts.push(`Answer with your changes. ${ANSWER_FORMAT}`);
  return instructed('polecat', override, parts.join('\n\n'));
}

/** The witness on an existing file, with no subtask to hold it against (`et review`). */
export function reviewFileMessages(file: string, content: string, override: string | undefined): ChatMessage[] {
  return instructed('witness', override, `There is no subtask: review the file on its own.\n\nThe worker's output:\n===FILE: ${file}===\n${content}${content.endsWith('\n') ? '' : '\n'}===ENDFILE===`);
}

/** The refinery fixing one finding in a file (the editor's "Ask refinery to fix"). */
export function refineryFixMessages(file: string, content: string, finding: string, override: string | undefined): ChatMessage[] {
  return instructed('refinery-feedback', override, `The finding:\n- ${file}:${finding}\n\nThe file as it is now:\n===FILE: ${file}===\n${content}${content.endsWith('\n') ? '' : '\n'}===ENDFILE===`);
}
