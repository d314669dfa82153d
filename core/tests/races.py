"""Two or more requests at the same moment, as a race test needs them."""

import threading

from django.db import connection


def at_once(*calls) -> list:
    """Run each call in its own thread, released together by a barrier; each thread has its own database
    connection (closed after). Returns what each returned, or the exception it raised, in the calls' order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i):
        try:
            barrier.wait(timeout=20)
            results[i] = calls[i]()
        except Exception as error:  # noqa: BLE001 (a test reports whatever went wrong)
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
