/**
 * The methods every experiments runner knows, by the name used in the tables and on the command line. Every method
 * gets its setup's hidden sizes: SOFT_ORDER's shared layers (and a ReLU projection of the input to their width),
 * MMOE's experts (8, the default, with no task towers); docs/baselines.md.
 */
import type { Architecture, LossWeighting, Regularizer } from '../../src/domain/model-spec.js';

export interface Method {
  name: string;
  architecture: Architecture;
  regularizer: Regularizer;
  lossWeighting: LossWeighting;
}

const m = (name: string, architecture: Architecture, regularizer: Regularizer = 'NONE', lossWeighting: LossWeighting = 'EQUAL'): Method => ({
  name,
  architecture,
  regularizer,
  lossWeighting,
});

export const METHODS: readonly Method[] = [
  m('STL', 'STL'),
  m('HARD_SHARE', 'HARD_SHARE'),
  m('TAAN', 'TAAN'),
  m('TAAN+TRACE_NORM', 'TAAN', 'TRACE_NORM'),
  m('TAAN+COSINE', 'TAAN', 'COSINE'),
  m('TAAN+DISTANCE', 'TAAN', 'DISTANCE'),
  m('SOFT_ORDER', 'SOFT_ORDER'),
  m('MMOE', 'MMOE'),
  m('HARD_SHARE+UNCERTAINTY', 'HARD_SHARE', 'NONE', 'UNCERTAINTY'),
  m('TAAN+UNCERTAINTY', 'TAAN', 'NONE', 'UNCERTAINTY'),
  m('SOFT_ORDER+UNCERTAINTY', 'SOFT_ORDER', 'NONE', 'UNCERTAINTY'),
  m('MMOE+UNCERTAINTY', 'MMOE', 'NONE', 'UNCERTAINTY'),
];

export function methodNamed(name: string): Method | undefined {
  return METHODS.find((x) => x.name === name);
}
