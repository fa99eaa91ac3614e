// Gradient case for Identity.
import { op } from '../../../../src/onnx/index';
import type { GradCase } from '../../../helpers/finiteDiff';

export const cases: GradCase[] = [{ name: 'Identity', build: (b, t) => ({ y: op.Identity(b.input('x', t, [2, 3])) }) }];
