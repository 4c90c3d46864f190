"""Calls every Open Inference Protocol v2 RPC of a taan-service server with stubs that Debian's protoc compiled from
proto/inference/grpc_predict_v2.proto (python3-grpcio's transport, none of ours), and prints what it got as JSON.

Usage: oip_client.py STUBS_DIR ADDRESS TOKEN MODEL REQUEST_JSON
REQUEST_JSON: {"rows": [[...], ...], "classification": k, "version": "1", "label": "stable"}.
Scores are printed as Python floats: the exact value of each float32 the server sent.
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from inference import grpc_predict_v2_pb2 as pb  # noqa: E402
from inference import grpc_predict_v2_pb2_grpc as pb_grpc  # noqa: E402


def main() -> None:
    _, _, address, token, model, request_json = sys.argv
    req = json.loads(request_json)
    rows = req["rows"]
    n, f = len(rows), len(rows[0])
    flat = [v for row in rows for v in row]
    auth = [("authorization", "Bearer " + token)]
    out = {}
    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        out["live"] = stub.ServerLive(pb.ServerLiveRequest()).live
        out["ready"] = stub.ServerReady(pb.ServerReadyRequest()).ready
        meta = stub.ServerMetadata(pb.ServerMetadataRequest(), metadata=auth)
        out["server_metadata"] = {"name": meta.name, "version": meta.version, "extensions": list(meta.extensions)}
        out["model_ready"] = stub.ModelReady(pb.ModelReadyRequest(name=model), metadata=auth).ready
        out["model_ready_label"] = stub.ModelReady(pb.ModelReadyRequest(name=model, version=req["label"]), metadata=auth).ready
        out["ghost_ready"] = stub.ModelReady(pb.ModelReadyRequest(name="ghost"), metadata=auth).ready
        mm = stub.ModelMetadata(pb.ModelMetadataRequest(name=model, version=req["version"]), metadata=auth)
        out["model_metadata"] = {
            "name": mm.name,
            "versions": list(mm.versions),
            "platform": mm.platform,
            "inputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in mm.inputs],
            "outputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in mm.outputs],
        }

        def tensors(res):
            got = {}
            for t in res.outputs:
                if t.datatype == "FP32":
                    got[t.name] = {"datatype": t.datatype, "shape": list(t.shape), "data": list(t.contents.fp32_contents)}
                else:
                    got[t.name] = {"datatype": t.datatype, "shape": list(t.shape), "data": [b.decode() for b in t.contents.bytes_contents]}
            return {"model_name": res.model_name, "model_version": res.model_version, "id": res.id, "outputs": got}

        # contents.fp32_contents
        features = pb.ModelInferRequest.InferInputTensor(name="features", datatype="FP32", shape=[n, f])
        features.contents.fp32_contents.extend(flat)
        res = stub.ModelInfer(pb.ModelInferRequest(model_name=model, id="py-1", inputs=[features]), metadata=auth)
        out["infer_contents"] = tensors(res)
        # raw_input_contents, a version number, the classification extension on the whole request
        raw = pb.ModelInferRequest.InferInputTensor(name="features", datatype="FP32", shape=[n, f])
        request = pb.ModelInferRequest(model_name=model, model_version=req["version"], inputs=[raw], raw_input_contents=[struct.pack("<%df" % len(flat), *flat)])
        request.parameters["classification"].int64_param = req["classification"]
        out["infer_raw"] = tensors(stub.ModelInfer(request, metadata=auth))
        # a version label; one requested output as its classes
        one = pb.ModelInferRequest.InferRequestedOutputTensor(name=req["task"])
        one.parameters["classification"].int64_param = req["classification"]
        labelled = pb.ModelInferRequest(model_name=model, model_version=req["label"], inputs=[features], outputs=[one])
        out["infer_label"] = tensors(stub.ModelInfer(labelled, metadata=auth))

        errors = {}
        for name, call in [
            ("unknown_model", lambda: stub.ModelInfer(pb.ModelInferRequest(model_name="ghost", inputs=[features]), metadata=auth)),
            ("no_token", lambda: stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[features]))),
            ("bad_shape", lambda: stub.ModelInfer(pb.ModelInferRequest(model_name=model, inputs=[pb.ModelInferRequest.InferInputTensor(name="features", datatype="FP32", shape=[n, f + 1])]), metadata=auth)),
            ("ghost_metadata", lambda: stub.ModelMetadata(pb.ModelMetadataRequest(name="ghost"), metadata=auth)),
        ]:
            try:
                call()
                errors[name] = "OK"
            except grpc.RpcError as e:
                errors[name] = e.code().name
        out["errors"] = errors
    print(json.dumps(out))


if __name__ == "__main__":
    main()
