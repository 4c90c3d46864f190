// Original file: proto/taan/v1/taan.proto


export interface ListModelsRequest {
}

export interface ListModelsRequest__Output {
}
