// Original file: proto/taan/v1/taan.proto


/**
 * A configuration over its seeds: the objective's mean and 95% t-interval (equal to the mean for one seed).
 */
export interface SweepGroup {
  'config'?: ({[key: string]: string});
  'seeds'?: (number);
  'mean'?: (number | string);
  'ci_low'?: (number | string);
  'ci_high'?: (number | string);
  'mean_test_map_at_10'?: (number | string);
}

/**
 * A configuration over its seeds: the objective's mean and 95% t-interval (equal to the mean for one seed).
 */
export interface SweepGroup__Output {
  'config': ({[key: string]: string});
  'seeds': (number);
  'mean': (number);
  'ci_low': (number);
  'ci_high': (number);
  'mean_test_map_at_10': (number);
}
