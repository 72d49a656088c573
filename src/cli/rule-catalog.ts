import type { RuleMeta } from '../diagnostics/index.js';
import { CONNECTOR_RULES } from '../connector/index.js';
import { SOLUTION_RULES } from '../solution/index.js';

/**
 * Every rule code coe-audit can report, for SARIF rule metadata and the rule-docs test
 * (test/rules/rule-docs.test.ts). Each validator appends its own list here.
 */
export const ALL_RULES: readonly RuleMeta[] = [...CONNECTOR_RULES, ...SOLUTION_RULES];

/** Base of the links to rule docs in SARIF output (`<base>/<docsPage>#<code>`). */
export { DOCS_BASE_URL as RULE_DOCS_BASE_URL } from './docs-url.js';
