// Original file: proto/taan/v1/taan.proto


export interface TaskSummary {
  'task'?: (string);
  'classes'?: (number);
  'train_examples'?: (number);
  'valid_examples'?: (number);
  'test_examples'?: (number);
}

export interface TaskSummary__Output {
  'task': (string);
  'classes': (number);
  'train_examples': (number);
  'valid_examples': (number);
  'test_examples': (number);
}
