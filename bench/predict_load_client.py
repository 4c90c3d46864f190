#!/usr/bin/env python3
"""Closed-loop Predict load over real gRPC (grpcio, Debian's python3-grpcio), driven by bench/predict-load.ts.

N concurrent callers share a few channels (HTTP/2 connections); each sends the next call as soon as its previous
one returns, for a fixed time. The request is serialized once by the caller (a PredictRequest, read from stdin) and
sent as raw bytes; responses are taken as raw bytes (the caller checks one decoded response itself). grpcio's C core
costs ~50 us of CPU per call against ~180 us for grpc-js, and the load generator shares the 2 cores with the server.

Prints one JSON line: requests, errors (by status code), wall seconds, examples/s, latency percentiles in ms, and the
CPU this process used (in cores, over the wall time).
"""
import argparse
import json
import sys
import threading
import time

import grpc

METHOD = '/taan.v1.TaanService/Predict'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--address', required=True)
    ap.add_argument('--clients', type=int, required=True)
    ap.add_argument('--seconds', type=float, required=True)
    ap.add_argument('--channels', type=int, default=1)
    ap.add_argument('--examples-per-request', type=int, default=1)
    ap.add_argument('--timeout', type=float, default=30.0)
    args = ap.parse_args()
    request = sys.stdin.buffer.read()

    channels = [grpc.insecure_channel(args.address) for _ in range(args.channels)]
    for ch in channels:
        grpc.channel_ready_future(ch).result(timeout=10)
    calls = [ch.unary_unary(METHOD) for ch in channels]  # no serializers: bytes in, bytes out

    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    finished = threading.Semaphore(0)
    clock = time.perf_counter
    deadline = clock() + args.seconds

    def fire(i: int) -> None:
        started = clock()
        future = calls[i % len(calls)].future(request, timeout=args.timeout)

        def done(f: grpc.Future) -> None:
            code = f.code()
            now = clock()
            with lock:
                if code == grpc.StatusCode.OK:
                    latencies.append(now - started)
                else:
                    errors[code.name] = errors.get(code.name, 0) + 1
            if now < deadline:
                fire(i)
            else:
                finished.release()

        future.add_done_callback(done)

    cpu0 = time.process_time()
    t0 = clock()
    for i in range(args.clients):
        fire(i)
    for _ in range(args.clients):
        finished.acquire()
    wall = clock() - t0
    cpu = time.process_time() - cpu0
    for ch in channels:
        ch.close()

    latencies.sort()

    def q(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float('nan')

    n_err = sum(errors.values())
    print(json.dumps({
        'client': f'python-grpcio {grpc.__version__}',
        'clients': args.clients,
        'channels': args.channels,
        'requests': len(latencies) + n_err,
        'errors': n_err,
        'errorCodes': errors,
        'seconds': wall,
        'examplesPerSecond': len(latencies) * args.examples_per_request / wall,
        'p50Ms': q(0.5),
        'p90Ms': q(0.9),
        'p99Ms': q(0.99),
        'maxMs': latencies[-1] * 1000 if latencies else float('nan'),
        'clientCpuCores': cpu / wall,
    }))


if __name__ == '__main__':
    main()
