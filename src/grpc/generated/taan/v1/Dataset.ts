// Original file: proto/taan/v1/taan.proto

import type { DatasetFile as _taan_v1_DatasetFile, DatasetFile__Output as _taan_v1_DatasetFile__Output } from '../../taan/v1/DatasetFile.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface Dataset {
  'dataset_id'?: (string);
  'name'?: (string);
  'files'?: (_taan_v1_DatasetFile)[];
  'total_bytes'?: (number | string | Long);
  'create_time'?: (_google_protobuf_Timestamp | null);
}

export interface Dataset__Output {
  'dataset_id': (string);
  'name': (string);
  'files': (_taan_v1_DatasetFile__Output)[];
  'total_bytes': (number);
  'create_time': (_google_protobuf_Timestamp__Output | null);
}
