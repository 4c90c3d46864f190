// Original file: proto/inference/grpc_predict_v2.proto


export interface ModelReadyRequest {
  'name'?: (string);
  /**
   * "" = the latest version.
   */
  'version'?: (string);
}

export interface ModelReadyRequest__Output {
  'name': (string);
  /**
   * "" = the latest version.
   */
  'version': (string);
}
