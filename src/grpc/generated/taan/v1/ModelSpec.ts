// Original file: proto/taan/v1/taan.proto


export interface ModelSpec {
  'name'?: (string);
  /**
   * 0 = latest (or the version of version_label).
   */
  'version'?: (number);
  'version_label'?: (string);
}

export interface ModelSpec__Output {
  'name': (string);
  /**
   * 0 = latest (or the version of version_label).
   */
  'version': (number);
  'version_label': (string);
}
