"""The build: what is out of date (state.py), the handouts to read (sources.py), the jobs that make
each output (jobs.py) in workers held to their limits (workers.py), the files written atomically
(output.py) and what a build prints (progress.py); engine.py runs them in that order.
"""
