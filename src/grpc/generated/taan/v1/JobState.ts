// Original file: proto/taan/v1/taan.proto

export const JobState = {
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  QUEUED: 'QUEUED',
  RUNNING: 'RUNNING',
  CANCELLING: 'CANCELLING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
} as const;

export type JobState =
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  | 'QUEUED'
  | 1
  | 'RUNNING'
  | 2
  | 'CANCELLING'
  | 3
  | 'SUCCEEDED'
  | 4
  | 'FAILED'
  | 5
  | 'CANCELLED'
  | 6

export type JobState__Output = typeof JobState[keyof typeof JobState]
