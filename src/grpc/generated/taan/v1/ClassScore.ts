// Original file: proto/taan/v1/taan.proto


export interface ClassScore {
  /**
   * The class's position within its task (YouTube-8M: vocabulary order among the task's rows).
   */
  'index'?: (number);
  'label'?: (string);
  'score'?: (number | string);
}

export interface ClassScore__Output {
  /**
   * The class's position within its task (YouTube-8M: vocabulary order among the task's rows).
   */
  'index': (number);
  'label': (string);
  'score': (number);
}
