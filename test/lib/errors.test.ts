// describeError / describeErrorSentence: the one place that turns a thrown value into user-visible text.
import { describe, expect, it } from 'vitest';
import { describeError, describeErrorSentence, ModelFormatError, postedErrorMessage } from '../../src/lib/errors';

describe('describeError', () => {
  it('uses an Error message and the string form of anything else', () => {
    expect(describeError(new ModelFormatError('truncated', 'unet.onnx is truncated'))).toBe('unet.onnx is truncated');
    expect(describeError('quota exceeded')).toBe('quota exceeded');
    expect(describeError(42)).toBe('42');
  });
});

describe('describeErrorSentence', () => {
  it('ends with exactly one full stop so that more text can follow', () => {
    expect(describeErrorSentence(new Error('bad header'))).toBe('bad header.');
    expect(describeErrorSentence(new Error('bad header. '))).toBe('bad header.');
    expect(describeErrorSentence(new Error('Is it a model?'))).toBe('Is it a model?');
  });
});

describe('postedErrorMessage', () => {
  it('posts a StudioError bare, other errors with their class name, anything else as a string', () => {
    expect(postedErrorMessage(new ModelFormatError('truncated', 'unet.onnx is truncated'))).toBe('unet.onnx is truncated');
    expect(postedErrorMessage(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(postedErrorMessage('quota exceeded')).toBe('quota exceeded');
  });
});
