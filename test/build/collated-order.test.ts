import { describe, expect, it } from 'vitest';
import { compareCollated } from '../../src/audit-solution/entities.js';

const sign = (n: number) => Math.sign(n);

describe('compareCollated', () => {
  it("orders names of lower-case letters, digits and '_' as localeCompare does in en-US", () => {
    const alphabet = '_0123456789abcdefghijklmnopqrstuvwxyz';
    const names = [''];
    for (const c of alphabet) names.push(c);
    for (const c of alphabet) for (const d of '_09amz') names.push(c + d, `${c}_${d}`);
    names.push('coeaudit_appid', 'coeaudit_app_id', 'coeaudit_appdeletedon', 'coeaudit_app2', 'coeaudit_workload');
    for (const a of names) for (const b of names) expect(sign(compareCollated(a, b)), `${a} vs ${b}`).toBe(sign(a.localeCompare(b, 'en-US')));
  });

  it('leaves any other name to localeCompare', () => {
    for (const [a, b] of [['Ab', 'ab'], ['a-b', 'a_b'], ['é', 'e'], ['a b', 'ab']] as const) {
      expect(compareCollated(a, b)).toBe(a.localeCompare(b));
    }
  });
});
