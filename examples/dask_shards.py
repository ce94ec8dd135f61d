"""Shards of one vtrial run on a dask.distributed cluster, merged into the single run's file.

    PYTHONPATH=build/python /usr/bin/python3 examples/dask_shards.py scenarios/nct06971913.yaml \
        --shards 8 --trials 20000 --output merged.h5

A LocalCluster stands in for a real one: give --scheduler tcp://host:8786 to use a running
dask scheduler instead (every worker then needs vtrial importable and the scenario and the
shard directory on a shared file system). Each task runs one shard with vtrial.run(...,
shard=(k, n), output=...), single-threaded per worker by default so the cluster's workers are
the parallelism; vtrial.merge then checks the shards are of one run and writes the file a
single `vtrial run` would have written, bit for bit (docs/cluster.md).
"""
import argparse
import os
import sys
import tempfile

import vtrial


def run_shard(scenario, overrides, trials, k, n, directory, threads):
    path = os.path.join(directory, f"shard{k}of{n}.h5")
    vtrial.run(scenario, overrides, trials=trials, shard=(k, n), output=path, threads=threads)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--trials", type=int, default=None)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--output", required=True)
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers (without --scheduler)")
    parser.add_argument("--threads", type=int, default=1, help="vtrial threads per shard")
    parser.add_argument("--scheduler", default=None, help="address of a running dask scheduler")
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(args.output))) as directory:
            futures = [client.submit(run_shard, os.path.abspath(args.scenario), args.set, args.trials, k, args.shards,
                                     directory, args.threads, pure=False)
                       for k in range(1, args.shards + 1)]
            paths = client.gather(futures)
            vtrial.merge(paths, args.output)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(f"merged {args.shards} shards into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
