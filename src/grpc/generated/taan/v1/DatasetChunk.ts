// Original file: proto/taan/v1/taan.proto


export interface DatasetChunk {
  /**
   * The dataset's name (first message).
   */
  'name'?: (string);
  /**
   * Path of the file inside the dataset.
   */
  'file_name'?: (string);
  /**
   * At most a few MiB a message; a file's chunks arrive in order.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * Hex SHA-256 of the whole file, on its last chunk.
   */
  'sha256'?: (string);
}

export interface DatasetChunk__Output {
  /**
   * The dataset's name (first message).
   */
  'name': (string);
  /**
   * Path of the file inside the dataset.
   */
  'file_name': (string);
  /**
   * At most a few MiB a message; a file's chunks arrive in order.
   */
  'data': (Buffer);
  /**
   * Hex SHA-256 of the whole file, on its last chunk.
   */
  'sha256': (string);
}
