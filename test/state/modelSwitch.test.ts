// state/selectors.ts modelSwitchNotice: what the studio says when a model switch leaves learned concepts without a
// pack (packs are kept per model), and that it says nothing on the first load, on the same model, or when every
// learned token has a pack on the new model.
import { describe, expect, it } from 'vitest';
import { modelSwitchNotice } from '../../src/state/index';

describe('modelSwitchNotice', () => {
  it('names the concepts the new model has no pack for, and where they are kept', () => {
    const n = modelSwitchNotice({ modelName: 'default', learnedTokens: ['<c1>', '<c2>'] }, { modelName: 'sd15', learnedTokens: ['<c2>'] });
    expect(n?.kind).toBe('info');
    expect(n?.text).toContain('<c1> was trained on default');
    expect(n?.text).not.toContain('<c2>');
    expect(n?.text).toContain('load default again');
    const both = modelSwitchNotice({ modelName: 'default', learnedTokens: ['<c1>', '<c2>'] }, { modelName: 'sd15', learnedTokens: [] });
    expect(both?.text).toMatch(/^<c1>, <c2> were trained on default: their packs apply/);
  });

  it('is silent on the first load, on the same model, and when nothing is hidden', () => {
    expect(modelSwitchNotice({ modelName: null, learnedTokens: ['<c1>'] }, { modelName: 'sd15', learnedTokens: [] })).toBeNull();
    expect(modelSwitchNotice({ modelName: 'sd15', learnedTokens: ['<c1>'] }, { modelName: 'sd15', learnedTokens: [] })).toBeNull();
    expect(modelSwitchNotice({ modelName: 'default', learnedTokens: ['<c1>'] }, { modelName: 'sd15', learnedTokens: ['<c1>'] })).toBeNull();
    expect(modelSwitchNotice({ modelName: 'default', learnedTokens: [] }, { modelName: 'sd15', learnedTokens: [] })).toBeNull();
  });
});
