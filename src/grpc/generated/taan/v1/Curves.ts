// Original file: proto/taan/v1/taan.proto


export interface Curves {
  'x'?: (number | string)[];
  /**
   * tasks x grid, row-major.
   */
  'y'?: (number | string)[];
}

export interface Curves__Output {
  'x': (number)[];
  /**
   * tasks x grid, row-major.
   */
  'y': (number)[];
}
