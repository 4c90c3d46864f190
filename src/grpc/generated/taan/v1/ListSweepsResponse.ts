// Original file: proto/taan/v1/taan.proto

import type { Sweep as _taan_v1_Sweep, Sweep__Output as _taan_v1_Sweep__Output } from '../../taan/v1/Sweep.js';

export interface ListSweepsResponse {
  'sweeps'?: (_taan_v1_Sweep)[];
  'next_page_token'?: (string);
}

export interface ListSweepsResponse__Output {
  'sweeps': (_taan_v1_Sweep__Output)[];
  'next_page_token': (string);
}
