// Original file: proto/taan/v1/taan.proto


export interface ListDatasetsRequest {
}

export interface ListDatasetsRequest__Output {
}
