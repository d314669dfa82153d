"""gunicorn's settings for production: `gunicorn config.wsgi` reads this file from the working directory.

Sizes come from the environment so each host can be tuned without a code change.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request that takes longer than this is stuck: the worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter) so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
accesslog = "-"
errorlog = "-"
# The client's address as the load balancer saw it, never the query string (it may hold a search).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def post_fork(server, worker):
    # Objects loaded before the fork are shared with the master: keep the garbage collector from
    # touching (and so copying) them in every worker.
    gc.freeze()
