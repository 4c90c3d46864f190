// Original file: proto/taan/v1/taan.proto

export const Architecture = {
  /**
   * TAAN
   */
  ARCHITECTURE_UNSPECIFIED: 'ARCHITECTURE_UNSPECIFIED',
  TAAN: 'TAAN',
  HARD_SHARE: 'HARD_SHARE',
  STL: 'STL',
} as const;

export type Architecture =
  /**
   * TAAN
   */
  | 'ARCHITECTURE_UNSPECIFIED'
  | 0
  | 'TAAN'
  | 1
  | 'HARD_SHARE'
  | 2
  | 'STL'
  | 3

export type Architecture__Output = typeof Architecture[keyof typeof Architecture]
