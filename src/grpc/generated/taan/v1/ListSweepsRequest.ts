// Original file: proto/taan/v1/taan.proto


export interface ListSweepsRequest {
  /**
   * default 50, at most 1000
   */
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListSweepsRequest__Output {
  /**
   * default 50, at most 1000
   */
  'page_size': (number);
  'page_token': (string);
}
