// Original file: proto/taan/v1/taan.proto


export interface DeleteModelVersionRequest {
  'name'?: (string);
  'version'?: (number);
  /**
   * Delete even when labels point at the version; those labels are removed with it.
   */
  'force'?: (boolean);
}

export interface DeleteModelVersionRequest__Output {
  'name': (string);
  'version': (number);
  /**
   * Delete even when labels point at the version; those labels are removed with it.
   */
  'force': (boolean);
}
