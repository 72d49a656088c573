import type { RuleMeta } from '../diagnostics/index.js';
import { CONNECTOR_RULES } from '../connector/index.js';
import { SOLUTION_RULES } from '../solution/index.js';

/**
 * Every rule code coe-audit can report, for SARIF rule metadata and the rule-docs test
 * (test/rules/rule-docs.test.ts). Each validator appends its own list here.
 */
export const ALL_RULES: readonly RuleMeta[] = [...CONNECTOR_RULES, ...SOLUTION_RULES];
